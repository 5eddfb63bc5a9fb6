import { viewerOf } from '../../../platform/auth/viewer';
import { domainEvent } from '../../../platform/events/domain-events';
import { appError, badInput, conflict, ErrorCode, notFound } from '../../../platform/errors';
import type { Logger } from '../../../platform/logger';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { BillingContext } from '../context';
import { isUuid } from '../../../platform/graphql/ids';
import { Payment, PaymentProvider, PaymentStatus } from '../payment/payment.entity';
import { KIOSK_SOURCE } from '../providers/paymob/paymob.gateway';
import { ProviderRejected, ProviderUnavailable, providerUnavailable } from '../providers/provider';
import type { Providers } from '../providers/providers';
import { expireNow } from '../subscription/plan-subscription.service';
import { PlanSubscription, PlanSubscriptionStatus } from '../subscription/plan-subscription.entity';
import { retryOnDeadlock, writeLock } from '../../../platform/db/locks';
import { Refund } from './refund.entity';

const REFUNDABLE = [PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED];

export class RefundService {
  constructor(
    private readonly providers: Providers,
    private readonly logger: Logger,
  ) {}

  /**
   * Refunds part or all of a paid payment (school admins). Any number of partial refunds, never
   * more than was paid, also when several are asked at once: under the payment's row lock the
   * amount is checked against what is refunded AND what other refunds in flight have reserved,
   * and reserved in turn, before the provider is called (outside any transaction). The provider's
   * answer then turns the reservation into a refund, or releases it. A payment refunded in full
   * ends its subscription (`plan.subscription.expired`). `payment.refunded` goes out with each.
   */
  async refund(ctx: BillingContext, paymentId: string, amountPiasters: number, reason?: string): Promise<Payment> {
    const viewer = viewerOf(ctx);
    if (!Number.isInteger(amountPiasters) || amountPiasters <= 0)
      throw badInput('amountPiasters must be a positive whole number of piasters', 'amountPiasters');
    const trimmed = reason?.trim().slice(0, 500) || undefined;
    const found = isUuid(paymentId) ? await ctx.loaders.payment.load(paymentId.toLowerCase()) : null;
    if (!found) throw notFound('Payment');
    const gateway = this.providers.get(found.provider);
    if (found.provider === PaymentProvider.PAYMOB && found.sourceType === KIOSK_SOURCE) {
      throw badInput('Paymob cannot refund kiosk payments: refund the payer another way', 'paymentId');
    }

    const { refund, payment } = await retryOnDeadlock(() =>
      ctx.em.transactional(async (tx) => {
        const payment = await tx.findOneOrFail(Payment, { id: found.id }, { ...writeLock(tx), refresh: true });
        if (!REFUNDABLE.includes(payment.status)) throw conflict(`A ${payment.status} payment cannot be refunded`);
        if (amountPiasters > payment.amountPiasters) throw badInput('The refund is larger than the payment', 'amountPiasters');
        const left = payment.amountPiasters - payment.refundedPiasters - payment.reservedRefundPiasters;
        if (amountPiasters > left) {
          throw conflict(`Only ${left} piasters of this payment can still be refunded`);
        }
        payment.reservedRefundPiasters += amountPiasters;
        const refund = tx.create(Refund, {
          schoolId: payment.schoolId,
          payment,
          amountPiasters,
          reason: trimmed,
          requestedBy: viewer.id,
          kind: 'REFUND',
        });
        return { refund, payment };
      }),
    );

    let outcome;
    try {
      outcome = await gateway.refund({ payment, amountPiasters, reason: trimmed });
    } catch (err) {
      if (!(err instanceof ProviderUnavailable || err instanceof ProviderRejected)) throw err;
      await this.release(ctx, payment.id, refund.id, amountPiasters, err.message);
      if (err instanceof ProviderUnavailable) throw providerUnavailable(err.service);
      this.logger.warn({ err, paymentId: payment.id }, 'provider declined a refund');
      throw appError(ErrorCode.CONFLICT, 'The payment provider declined the refund', { reason: err.message });
    }

    return retryOnDeadlock(() =>
      ctx.em.transactional(async (tx) => {
        const saved = await tx.findOneOrFail(Payment, { id: payment.id }, { ...writeLock(tx), refresh: true });
        const done = await tx.findOneOrFail(Refund, { id: refund.id });
        const now = new Date();
        saved.reservedRefundPiasters -= amountPiasters;
        saved.refundedPiasters += amountPiasters;
        const full = saved.refundedPiasters >= saved.amountPiasters;
        saved.status = full ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
        Object.assign(done, { status: 'SUCCEEDED', kind: outcome.kind, providerRefundId: outcome.providerRefundId });
        recordEvent(
          tx,
          domainEvent('payment.refunded', saved.schoolId, {
            paymentId: saved.id,
            refundId: done.id,
            payerId: saved.payerId,
            studentId: saved.studentId,
            amountPiasters,
            refundedPiasters: saved.refundedPiasters,
            full,
            currency: 'EGP',
            provider: saved.provider,
            reason: trimmed,
            refundedAt: now.toISOString(),
          }),
        );
        if (full) {
          // The money is back: the access it bought ends with it.
          const subscription = await tx.findOneOrFail(PlanSubscription, { id: saved.subscription.id }, { ...writeLock(tx), refresh: true });
          const live = [PlanSubscriptionStatus.ACTIVE, PlanSubscriptionStatus.PAST_DUE, PlanSubscriptionStatus.CANCELED];
          if (live.includes(subscription.status)) await expireNow(tx, subscription, now);
        }
        return saved;
      }),
    );
  }

  /** The provider refused or could not be reached: the reserved amount is free again. */
  private async release(ctx: BillingContext, paymentId: string, refundId: string, amountPiasters: number, error: string): Promise<void> {
    await retryOnDeadlock(() =>
      ctx.em.transactional(async (tx) => {
        const payment = await tx.findOneOrFail(Payment, { id: paymentId }, { ...writeLock(tx), refresh: true });
        payment.reservedRefundPiasters -= amountPiasters;
        const refund = await tx.findOneOrFail(Refund, { id: refundId });
        Object.assign(refund, { status: 'FAILED', error: error.slice(0, 300) });
      }),
    );
  }
}
