import type { EntityManager } from '@mikro-orm/core';
import { PaymentFact } from './payment-fact.entity';
import { RefundFact } from './refund-fact.entity';

export interface Paid {
  paymentId: string;
  payerId: string;
  studentId: string;
  amountPiasters: number;
  provider: string;
  paidAt: Date;
}

/** A confirmed payment, once. */
export async function recordPayment(tx: EntityManager, schoolId: string, paid: Paid): Promise<void> {
  const { paymentId, ...fields } = paid;
  if (await tx.findOne(PaymentFact, { id: paymentId })) return;
  tx.create(PaymentFact, { id: paymentId, schoolId, ...fields });
}

/** One refund, once (a refund has its own id; a payment may have several). */
export async function recordRefund(
  tx: EntityManager,
  schoolId: string,
  refund: { refundId: string; paymentId: string; amountPiasters: number; refundedAt: Date },
): Promise<void> {
  const { refundId, ...fields } = refund;
  if (await tx.findOne(RefundFact, { id: refundId })) return;
  tx.create(RefundFact, { id: refundId, schoolId, ...fields });
}
