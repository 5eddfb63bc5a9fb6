import { useEffect, useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '../../api/use-query';
import type { BillingSubscribeMutation, PaymentMethod, PaymentProvider } from '../../gql/graphql';
import { useFormat, useT } from '../../i18n/i18n';
import { ErrorMessage } from '../../ui/feedback';
import { TextField } from '../../ui/form';
import type { BillingPlan } from './BillingPage';
import { isolate, useMoneyLocale } from './locale';
import { billingMessages } from './messages';
import { BillingPaymentAmount, BillingSubscribe } from './queries';

/** The three ways to pay, each with the provider that takes it (README, Billing). */
const WAYS: { method: PaymentMethod; provider: PaymentProvider }[] = [
  { method: 'CARD', provider: 'PAYMOB' },
  { method: 'WALLET', provider: 'PAYMOB' },
  { method: 'FAWRY_REFERENCE', provider: 'FAWRY' },
];

type Payment = BillingSubscribeMutation['subscribe'];

/**
 * Subscribes a student to `plan`: a parent picks one of their children, a student pays for
 * themselves. Paymob answers a hosted checkout page, which the payer is sent to in this tab (it
 * comes back to the app afterwards); Fawry a reference number to pay in cash, shown here.
 */
export function SubscribeForm({
  plan,
  students,
  onClose,
  onStarted,
}: {
  plan: BillingPlan;
  students: { id: string; displayName: string }[];
  onClose: () => void;
  onStarted: () => void;
}) {
  const t = useT(billingMessages);
  const locale = useMoneyLocale();
  const id = useId();
  const [studentId, setStudentId] = useState(students.length === 1 ? students[0].id : '');
  const [method, setMethod] = useState<PaymentMethod>('CARD');
  const [phone, setPhone] = useState('');
  const [payment, setPayment] = useState<Payment>();
  const subscribe = useMutation(BillingSubscribe);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const way = WAYS.find((w) => w.method === method)!;
    const result = await subscribe.mutate({
      planId: plan.id,
      studentId,
      provider: way.provider,
      method: way.method,
      contact: phone.trim() ? { phone: phone.trim() } : null,
      locale,
    });
    if (!result) return;
    setPayment(result.subscribe);
    onStarted();
  };

  if (payment) return <PaymentStarted payment={payment} onClose={onClose} />;
  return (
    <form onSubmit={(e) => void submit(e)}>
      <p>
        <strong>{plan.price.formatted}</strong> {t(`interval${plan.interval}`)}
      </p>
      {students.length === 1 ? (
        <p>{t('forYourself', { name: isolate(students[0].displayName) })}</p>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-student`}>{t('student')}</label>
          <select id={`${id}-student`} required value={studentId} onChange={(e) => setStudentId(e.target.value)}>
            <option value="">{t('chooseStudent')}</option>
            {students.map((s) => (
              <option key={s.id} value={s.id}>
                {s.displayName}
              </option>
            ))}
          </select>
        </div>
      )}
      <fieldset className="field" style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 600, marginBlockEnd: '0.25rem' }}>{t('howToPay')}</legend>
        {WAYS.map((w) => (
          <div key={w.method} style={{ marginBlockEnd: '0.5rem' }}>
            <input
              type="radio"
              id={`${id}-${w.method}`}
              name={`${id}-method`}
              value={w.method}
              checked={method === w.method}
              onChange={() => setMethod(w.method)}
              aria-describedby={`${id}-${w.method}-hint`}
            />{' '}
            <label htmlFor={`${id}-${w.method}`}>{t(`method${w.method}`)}</label>
            <br />
            <small id={`${id}-${w.method}-hint`} className="muted">
              {t(`methodHint${w.method}`)}
            </small>
          </div>
        ))}
      </fieldset>
      <TextField
        label={t('phone')}
        hint={t('phoneHint')}
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        pattern="01[0-9]{9}"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
      />
      {subscribe.error?.code === 'SERVICE_UNAVAILABLE' ? (
        <p className="alert alert-error" role="alert">
          {t('providerUnavailable')}
        </p>
      ) : (
        <ErrorMessage error={subscribe.error} />
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={subscribe.pending || !studentId}>
          {subscribe.pending ? t('starting') : t('continue')}
        </button>
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </div>
    </form>
  );
}

/** Where to pay now: Paymob's page (this tab goes there), or the Fawry reference with its expiry. */
function PaymentStarted({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const t = useT(billingMessages);
  const format = useFormat();
  const locale = useMoneyLocale();
  // The mutation answered the amount in the language of the moment; a switch asks again.
  const amount = useQuery(BillingPaymentAmount, { id: payment.id, locale }, { skip: !!payment.checkoutUrl }).data?.payment?.amount
    .formatted;
  useEffect(() => {
    if (payment.checkoutUrl) location.assign(payment.checkoutUrl);
  }, [payment.checkoutUrl]);
  if (payment.checkoutUrl) {
    return (
      <div role="status">
        <p>{t('redirecting')}</p>
        <p>
          <a href={payment.checkoutUrl}>{t('openCheckout')}</a>
        </p>
        {payment.expiresAt && <p className="muted">{t('checkoutExpires', { time: format.dateTime(payment.expiresAt) })}</p>}
      </div>
    );
  }
  return (
    <div role="status" aria-labelledby="billing-fawry">
      <h3 id="billing-fawry">{t('fawryHeading')}</h3>
      <p style={{ marginBlockEnd: 0 }}>{t('fawryNumber')}</p>
      <p style={{ fontSize: '2rem', fontWeight: 700, letterSpacing: '0.1em', marginBlock: '0.25rem' }}>
        <bdi dir="ltr" data-testid="fawry-reference">
          {payment.fawryReferenceNumber}
        </bdi>
      </p>
      <p>
        <strong>{t('fawryAmount', { amount: amount ?? payment.amount.formatted })}</strong>
      </p>
      {payment.expiresAt && <p className="alert alert-warn">{t('fawryExpires', { time: format.dateTime(payment.expiresAt) })}</p>}
      <p>{t('fawryHow')}</p>
      <button type="button" onClick={onClose}>
        {t('close')}
      </button>
    </div>
  );
}
