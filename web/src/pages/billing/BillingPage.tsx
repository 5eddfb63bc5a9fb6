import { useEffect, useRef, useState } from 'react';
import { useQuery } from '../../api/use-query';
import type { BillingOverviewQuery } from '../../gql/graphql';
import { useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { isolate, useMoneyLocale } from './locale';
import { billingMessages } from './messages';
import { PaymentsSection } from './PaymentsSection';
import { BillingOverview } from './queries';
import { SubscribeForm } from './SubscribeForm';
import { SubscriptionsSection } from './SubscriptionsSection';

export type BillingPlan = BillingOverviewQuery['plans'][number];

/** /billing: the school's plans to subscribe to, then the viewer's payments and the students' subscriptions. */
export function BillingPage() {
  const t = useT(billingMessages);
  const locale = useMoneyLocale();
  const overview = useQuery(BillingOverview, { locale });
  // A language switch loads the figures again (money in the other language): meanwhile the page keeps what it shows.
  const [last, setLast] = useState<BillingOverviewQuery>();
  if (overview.data && overview.data !== last) setLast(overview.data);
  const data = overview.data ?? last;
  const [chosen, setChosen] = useState<BillingPlan>();
  // A new payment shows in the payments list: it loads again after each subscribe.
  const [paymentsRound, setPaymentsRound] = useState(0);
  const formRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (chosen) formRef.current?.focus();
  }, [chosen]);

  if (overview.loading && !data) return <Loading />;
  if (!data) return <ErrorMessage error={overview.error} onRetry={() => void overview.refetch()} />;
  const { me, plans } = data;
  if (!me) return <ErrorMessage error={overview.error} />;
  // A parent pays for their children; a student for themselves (admins only look).
  const students = me.roles.includes('STUDENT') ? [{ id: me.id, displayName: me.displayName }] : me.children;
  const subscriptions = [...me.planSubscriptions, ...me.children.flatMap((c) => c.planSubscriptions)].filter(
    (s, i, all) => all.findIndex((o) => o.id === s.id) === i,
  );

  return (
    <>
      <h1>{t('title')}</h1>
      <ErrorMessage error={overview.error} onRetry={() => void overview.refetch()} />
      <section className="card" aria-labelledby="billing-plans">
        <h2 id="billing-plans">{t('plansHeading')}</h2>
        {plans.length === 0 ? (
          <Empty>{t('noPlans')}</Empty>
        ) : (
          <>
            <p className="muted">{t('plansIntro')}</p>
            <ul className="grid plain-list" style={{ listStyle: 'none', padding: 0 }}>
              {plans.map((p) => (
                <li key={p.id} className="card">
                  <h3 style={{ marginBlock: '0 0.25rem', fontSize: '1.05rem' }}>{p.name}</h3>
                  <p className="muted" style={{ marginBlock: 0 }}>
                    {p.course?.title ?? t('wholeSchool')}
                  </p>
                  <p>
                    <strong>{p.price.formatted}</strong> {t(`interval${p.interval}`)}
                  </p>
                  {students.length > 0 && (
                    <button type="button" className="primary" aria-pressed={chosen?.id === p.id} onClick={() => setChosen(p)}>
                      {t('subscribeTo', { plan: isolate(p.name) })}
                    </button>
                  )}
                </li>
              ))}
            </ul>
            {students.length === 0 && me.roles.includes('PARENT') && <p className="alert alert-warn">{t('noStudents')}</p>}
          </>
        )}
      </section>
      {chosen && (
        <section className="card" aria-labelledby="billing-subscribe" ref={formRef} tabIndex={-1}>
          <h2 id="billing-subscribe">{t('subscribeHeading', { plan: isolate(chosen.name) })}</h2>
          <SubscribeForm
            key={chosen.id}
            plan={chosen}
            students={students}
            onClose={() => setChosen(undefined)}
            onStarted={() => {
              setPaymentsRound((r) => r + 1);
              void overview.refetch();
            }}
          />
        </section>
      )}
      <SubscriptionsSection subscriptions={subscriptions} onChanged={() => void overview.refetch()} />
      <PaymentsSection key={paymentsRound} />
    </>
  );
}
