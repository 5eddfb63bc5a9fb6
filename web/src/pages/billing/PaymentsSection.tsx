import { useEffect, useState } from 'react';
import { ApiError } from '../../api/errors';
import { request } from '../../api/graphql';
import type { BillingPaymentsQuery } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useMoneyLocale } from './locale';
import { billingMessages } from './messages';
import { BillingPayments } from './queries';

type Payment = NonNullable<BillingPaymentsQuery['me']>['payments']['edges'][number]['node'];

/** The viewer's payments (oldest first, as the API gives them), with "show more" for the next page. */
export function PaymentsSection() {
  const t = useT(billingMessages);
  const format = useFormat();
  const locale = useMoneyLocale();
  const [payments, setPayments] = useState<Payment[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError>();
  const [round, setRound] = useState(0);

  const apply = (data: BillingPaymentsQuery, append: boolean) => {
    const page = data.me?.payments;
    const nodes = page?.edges.map((e) => e.node) ?? [];
    setPayments((prev) => (append ? [...prev, ...nodes] : nodes));
    setNext(page?.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
    setLoading(false);
  };
  const fail = (err: unknown) => {
    setError(err instanceof ApiError ? err : new ApiError(String(err), 'INTERNAL_SERVER_ERROR'));
    setLoading(false);
  };
  // The first page, again when the language (the money's format) changes or after "try again".
  useEffect(() => {
    let live = true;
    request(BillingPayments, { locale, after: null }).then(
      (data) => live && apply(data, false),
      (err) => live && fail(err),
    );
    return () => {
      live = false;
    };
  }, [locale, round]);
  const again = () => {
    setLoading(true);
    setError(undefined);
    setRound((r) => r + 1);
  };
  const more = (after: string) => {
    setLoading(true);
    setError(undefined);
    request(BillingPayments, { locale, after }).then((data) => apply(data, true), fail);
  };

  return (
    <section className="card" aria-labelledby="billing-payments" aria-busy={loading}>
      <h2 id="billing-payments">{t('paymentsHeading')}</h2>
      <ErrorMessage error={error} onRetry={again} />
      {payments.length === 0 && loading && <Loading />}
      {payments.length === 0 && !loading && !error && <Empty>{t('noPayments')}</Empty>}
      {payments.length > 0 && (
        <div className="table-scroll">
          <table style={{ minWidth: '44rem' }}>
            <thead>
              <tr>
                <th scope="col">{t('date')}</th>
                <th scope="col">{t('plan')}</th>
                <th scope="col">{t('amount')}</th>
                <th scope="col">{t('provider')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('invoice')}</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id}>
                  <td>{format.dateTime(p.createdAt)}</td>
                  <td>
                    {p.subscription.plan.name}
                    <br />
                    <small className="muted">{p.student.displayName}</small>
                  </td>
                  <td>
                    {p.amount.formatted}
                    {p.refundedAmount.amountPiasters > 0 && (
                      <>
                        <br />
                        <small className="muted">{t('refunded', { amount: p.refundedAmount.formatted })}</small>
                      </>
                    )}
                  </td>
                  <td>
                    {t(`provider${p.provider}`)}
                    <br />
                    <small className="muted">{t(`short${p.method}`)}</small>
                  </td>
                  <td>
                    <span className="badge">{t(`payment${p.status}`)}</span>
                    <PendingHint payment={p} />
                  </td>
                  <td>
                    {p.invoice ? (
                      <a href={p.invoice.pdfUrl} target="_blank" rel="noreferrer">
                        {t('invoiceLink', { number: p.invoice.number })}
                      </a>
                    ) : (
                      t('noInvoice')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" disabled={loading} onClick={() => more(next)}>
          {t('loadMore')}
        </button>
      )}
    </section>
  );
}

/** A payment still waiting: its Fawry reference or its checkout link, until it expires. */
function PendingHint({ payment }: { payment: Payment }) {
  const t = useT(billingMessages);
  const format = useFormat();
  if (payment.status !== 'PENDING') return null;
  // An expired one turns EXPIRED with the billing sweep; until then its link or number says when it lapses.
  const until = payment.expiresAt ? ` (${format.dateTime(payment.expiresAt)})` : '';
  if (payment.fawryReferenceNumber)
    return (
      <>
        <br />
        <small>
          {t('reference', { number: payment.fawryReferenceNumber })}
          {until}
        </small>
      </>
    );
  if (payment.checkoutUrl)
    return (
      <>
        <br />
        <a href={payment.checkoutUrl}>{t('payNow')}</a>
      </>
    );
  return null;
}
