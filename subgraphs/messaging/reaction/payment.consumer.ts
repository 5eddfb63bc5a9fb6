import { reaction, type ReactionDeps } from './reaction';
import { formatDateTime, formatMoney, type Locale } from './format';
import { contactsById, notifyInTheirLanguage } from './recipients';

const PROVIDERS: Record<'PAYMOB' | 'FAWRY', Record<Locale, string>> = {
  PAYMOB: { AR: 'باي موب', EN: 'Paymob' },
  FAWRY: { AR: 'فوري', EN: 'Fawry' },
};

/** `payment.succeeded` → a receipt to the payer (usually a parent): the amount, for whom, through whom. */
export const paymentReceiptConsumer = ({ notify }: ReactionDeps) =>
  reaction('messaging.payment-receipts', ['payment.succeeded'], async (tx, event) => {
    const p = event.payload;
    const student = (await contactsById(tx, [p.studentId])).get(p.studentId);
    await notifyInTheirLanguage(
      notify,
      tx,
      { schoolId: event.tenantId, category: 'payment.receipt', templateKey: 'payment.receipt', source: event.id },
      [p.payerId],
      (locale) => ({
        amount: formatMoney(p.amountPiasters, locale),
        studentName: student?.displayName ?? (locale === 'AR' ? 'الطالب' : 'the student'),
        provider: PROVIDERS[p.provider]?.[locale] ?? p.provider,
        paidAt: formatDateTime(p.paidAt, locale),
        paymentId: p.paymentId,
      }),
    );
  });
