import { useRef, useState } from 'react';
import { useMutation } from '../../api/use-query';
import type { BillingSubscriptionFieldsFragment } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage } from '../../ui/feedback';
import { isolate } from './locale';
import { billingMessages } from './messages';
import { BillingCancelSubscription } from './queries';

/** Subscriptions that still renew or wait for their first payment can be canceled. */
const CANCELABLE = new Set(['PENDING', 'ACTIVE', 'PAST_DUE']);

/** The students' plan subscriptions, each with its status, paid period and a two-step cancel. */
export function SubscriptionsSection({
  subscriptions,
  onChanged,
}: {
  subscriptions: BillingSubscriptionFieldsFragment[];
  onChanged: () => void;
}) {
  const t = useT(billingMessages);
  const format = useFormat();
  const [confirming, setConfirming] = useState<string>();
  const [done, setDone] = useState(false);
  const cancel = useMutation(BillingCancelSubscription);
  const heading = useRef<HTMLHeadingElement>(null);

  const confirm = async (id: string) => {
    const result = await cancel.mutate({ id });
    if (!result) return;
    setConfirming(undefined);
    setDone(true);
    heading.current?.focus();
    onChanged();
  };

  return (
    <section className="card" aria-labelledby="billing-subscriptions">
      <h2 id="billing-subscriptions" ref={heading} tabIndex={-1}>
        {t('subscriptionsHeading')}
      </h2>
      {done && (
        <p className="alert alert-ok" role="status">
          {t('canceled')}
        </p>
      )}
      <ErrorMessage error={cancel.error} />
      {subscriptions.length === 0 ? (
        <Empty>{t('noSubscriptions')}</Empty>
      ) : (
        <div className="table-scroll">
          <table style={{ minWidth: '36rem' }}>
            <thead>
              <tr>
                <th scope="col">{t('plan')}</th>
                <th scope="col">{t('student')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('periodEnd')}</th>
                <th scope="col">{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.map((s) => {
                const names = { plan: isolate(s.plan.name), student: isolate(s.student.displayName) };
                return (
                  <tr key={s.id}>
                    <td>{s.plan.name}</td>
                    <td>{s.student.displayName}</td>
                    <td>
                      <span className="badge">{t(`sub${s.status}`)}</span>
                    </td>
                    <td>{format.dateTime(s.currentPeriodEnd)}</td>
                    <td>
                      {CANCELABLE.has(s.status) &&
                        (confirming === s.id ? (
                          <div className="alert alert-warn" role="alertdialog" aria-label={t('cancelSubscriptionOf', names)}>
                            <span>{t('confirmCancel', names)}</span>
                            <button type="button" className="danger" disabled={cancel.pending} onClick={() => void confirm(s.id)}>
                              {t('confirmYes')}
                            </button>
                            {/* Focus lands on the safe choice. */}
                            <button type="button" autoFocus onClick={() => setConfirming(undefined)}>
                              {t('confirmNo')}
                            </button>
                          </div>
                        ) : (
                          <button
                            type="button"
                            className="danger"
                            aria-label={t('cancelSubscriptionOf', names)}
                            onClick={() => {
                              cancel.reset();
                              setDone(false);
                              setConfirming(s.id);
                            }}
                          >
                            {t('cancelSubscription')}
                          </button>
                        ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
