import { TENANT_FILTER } from '../../../platform/db/tenant';
import { Payment, PaymentStatus } from '../payment/payment.entity';
import type { Providers } from '../providers/providers';
import { expirePayment, settle, type SettlementDeps } from './settlement';

/** A payment whose checkout was never made is given up after this long. */
const ABANDONED_AFTER_MS = 3600_000;
/** Payments looked at per run (oldest first); the next run takes the rest. */
const BATCH = 200;

export interface ReconciliationDeps extends SettlementDeps {
  providers: Providers;
  /** A pending payment is asked about once it is this old (a notification normally comes first). */
  askAfterMs: number;
}

/**
 * Pending payments that never got a callback: each is asked of its provider's status API (Fawry's
 * Get Payment Status V2) and settled through the same path as a callback, so a payment settled
 * both ways counts once. Without an answer, one whose link or reference has expired is EXPIRED;
 * one whose checkout never came back is FAILED after an hour. A provider that cannot be reached
 * leaves its payments for the next run (never expired on a guess).
 */
export async function reconcilePayments(deps: ReconciliationDeps, now = new Date()): Promise<{ settled: number; expired: number }> {
  // Across schools (a background job): the tenant filter is lifted for this read only; each
  // payment is then settled in its own school's scope.
  const pending = await deps.orm.em
    .fork()
    .find(
      Payment,
      { status: PaymentStatus.PENDING, createdAt: { $lte: new Date(now.getTime() - deps.askAfterMs) } },
      { filters: { [TENANT_FILTER]: false }, orderBy: { createdAt: 'asc', id: 'asc' }, limit: BATCH },
    );
  let settled = 0;
  let expired = 0;
  for (const payment of pending) {
    const gateway = deps.providers.configured(payment.provider);
    try {
      const update = gateway ? await gateway.status(payment) : null;
      if (update && update.outcome !== 'PENDING') {
        if ((await settle(deps, update)).status === 'applied') settled++;
        continue;
      }
    } catch (err) {
      deps.logger.warn(
        { err, paymentId: payment.id, provider: payment.provider },
        'status query failed; the payment waits for the next run',
      );
      continue;
    }
    const checkoutMade = !!(payment.checkoutUrl || payment.fawryReferenceNumber || payment.providerOrderId);
    if (checkoutMade && payment.expiresAt && payment.expiresAt <= now) {
      if (await expirePayment(deps, payment, PaymentStatus.EXPIRED, 'expired without a word from the provider')) expired++;
    } else if (!checkoutMade && payment.createdAt.getTime() <= now.getTime() - ABANDONED_AFTER_MS) {
      if (await expirePayment(deps, payment, PaymentStatus.FAILED, 'the checkout was never made')) expired++;
    }
  }
  return { settled, expired };
}
