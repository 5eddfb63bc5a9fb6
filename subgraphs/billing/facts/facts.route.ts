import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import type { Router } from 'express';
import type { InternalContextVerifier } from '../../../platform/auth/internal-context';
import type { PaymentFact, RefundFact } from '../../../platform/events/facts';
import { factsRoute, type FactSource } from '../../../platform/events/facts-stream';
import type { Logger } from '../../../platform/logger';
import { Payment, PaymentStatus } from '../payment/payment.entity';
import { Refund } from '../refund/refund.entity';

/*
 * Billing's side of the facts export (platform/events/facts.ts): the money that moved. Pending,
 * failed and expired payments and refunds moved none, so they are no facts.
 */

const byId = (limit: number) => ({ orderBy: { id: 'asc' } as const, limit });

/** Every payment its provider confirmed: still paid, or refunded since (the refunds are facts of their own). */
const PAID = [PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED];

const payments: FactSource<Payment> = {
  page: (em, after, limit) => em.find(Payment, { id: { $gt: after }, status: { $in: PAID } }, byId(limit)),
  facts: (_em, rows) =>
    rows.map((p): PaymentFact => ({
      fact: 'payment',
      schoolId: p.schoolId,
      paymentId: p.id,
      payerId: p.payerId,
      studentId: p.studentId,
      amountPiasters: p.amountPiasters,
      provider: p.provider,
      paidAt: p.paidAt!.toISOString(),
    })),
};

const refunds: FactSource<Refund> = {
  page: (em, after, limit) => em.find(Refund, { id: { $gt: after }, status: 'SUCCEEDED' }, byId(limit)),
  facts: (_em, rows) =>
    rows.map((r): RefundFact => ({
      fact: 'refund',
      schoolId: r.schoolId,
      refundId: r.id,
      paymentId: r.payment.id,
      amountPiasters: r.amountPiasters,
      // A refund has no time of its own: its row last changed when it succeeded, and never after.
      refundedAt: r.updatedAt.toISOString(),
    })),
};

/**
 * The schools with facts here: a refund is of a payment, so those with a payment. Across every
 * school, so with no filter (the QueryBuilder applies none unless asked).
 */
async function schoolsWithPayments(orm: MikroORM): Promise<string[]> {
  const rows = await (orm.em.fork() as SqlEntityManager)
    .createQueryBuilder(Payment, 'p')
    .select('p.schoolId', true)
    .orderBy({ schoolId: 'asc' })
    .execute<Array<{ schoolId: string }>>('all', true);
  return rows.map((r) => r.schoolId);
}

export interface BillingFactsOptions {
  orm: MikroORM;
  verify: InternalContextVerifier;
  logger: Logger;
  /** Rows per query. Default the platform's (1000). */
  pageSize?: number;
}

/** GET /internal/facts on billing (platform/events/facts-stream.ts `factsRoute`). */
export function billingFactsRoute(opts: BillingFactsOptions): Router {
  return factsRoute({ ...opts, schools: () => schoolsWithPayments(opts.orm), sources: [payments, refunds] });
}
