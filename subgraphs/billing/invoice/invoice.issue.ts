import { randomUUID } from 'node:crypto';
import { raw, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { domainEvent } from '../../../platform/events/domain-events';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { Payment } from '../payment/payment.entity';
import { Invoice, invoiceNumber, InvoiceSequence } from './invoice.entity';

/**
 * Makes sure the school has its sequence row, in its own statement before any settlement uses it:
 * two first invoices of a school settled at once must not both try to create it inside their
 * transactions (one would fail and roll its payment back).
 */
export async function ensureInvoiceSequence(em: EntityManager, schoolId: string): Promise<void> {
  if (await em.count(InvoiceSequence, { schoolId })) return;
  try {
    await em.insert(InvoiceSequence, { id: randomUUID(), schoolId, lastNumber: 0 });
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
  }
}

/**
 * Issues the invoice of a payment that just became PAID, inside its settlement transaction `tx`
 * (tenant-scoped). The number comes from `UPDATE invoice_sequence SET last_number = last_number + 1`:
 * that row stays locked until the transaction ends, so concurrent settlements of one school take
 * numbers one after the other, and a settlement that rolls back gives its number back with
 * everything else: no gap, no duplicate (and `(school_id, sequence)` is unique besides). On SQLite
 * transactions run one at a time anyway. `invoice.issued` is recorded with it (the PDF follows).
 */
export async function issueInvoice(
  tx: EntityManager,
  payment: Payment,
  details: { description: string; periodStart?: Date; periodEnd?: Date; issuedAt: Date },
): Promise<Invoice> {
  const { schoolId } = payment;
  const updated = await tx.nativeUpdate(InvoiceSequence, { schoolId }, { lastNumber: raw('last_number + 1') });
  if (updated !== 1) throw new Error(`no invoice sequence for school ${schoolId} (ensureInvoiceSequence first)`);
  const { lastNumber } = await tx.findOneOrFail(InvoiceSequence, { schoolId }, { refresh: true });
  const invoice = tx.create(Invoice, {
    schoolId,
    payment,
    sequence: lastNumber,
    number: invoiceNumber(lastNumber),
    issuedAt: details.issuedAt,
    totalPiasters: payment.amountPiasters,
    description: details.description.slice(0, 300),
    periodStart: details.periodStart,
    periodEnd: details.periodEnd,
  });
  recordEvent(
    tx,
    domainEvent('invoice.issued', schoolId, {
      invoiceId: invoice.id,
      paymentId: payment.id,
      number: invoice.number,
      payerId: payment.payerId,
      studentId: payment.studentId,
      totalPiasters: invoice.totalPiasters,
      currency: 'EGP',
      issuedAt: details.issuedAt.toISOString(),
    }),
  );
  return invoice;
}
