import { randomInt } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { viewerOf, type Viewer } from '../../../platform/auth/viewer';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors';
import type { Logger } from '../../../platform/logger';
import type { BillingContext } from '../context';
import { uuidArg } from '../../../platform/graphql/ids';
import { Locale } from '../money/money';
import { Plan, PlanInterval } from '../plan/plan.entity';
import { billingPolicy } from '../policy';
import { ProviderRejected, ProviderUnavailable, providerUnavailable, type Payer } from '../providers/provider';
import type { Providers } from '../providers/providers';
import { PlanSubscription, PlanSubscriptionStatus } from '../subscription/plan-subscription.entity';
import { retryOnDeadlock, writeLock } from '../../../platform/db/locks';
import { Payment, PaymentMethod, PaymentProvider, PaymentStatus } from './payment.entity';
import type { PaymentContactInput } from './payment.input';

export interface SubscribeRequest {
  planId: string;
  studentId: string;
  provider: PaymentProvider;
  method: PaymentMethod;
  contact?: PaymentContactInput;
}

export interface PaymentLinks {
  /** Base URL the providers reach the platform at (the gateway). */
  publicUrl: string;
  /** Where payers return after a hosted checkout. */
  returnUrl: string;
}

/** A merchant reference: digits only (Fawry's `merchantRefNum` is numeric), unique by index, unguessable enough to be no key. */
const newMerchantRef = () => `${Date.now()}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;

const NAMES: Record<PaymentProvider, string> = { [PaymentProvider.PAYMOB]: 'Paymob', [PaymentProvider.FAWRY]: 'Fawry' };

export class PaymentService {
  constructor(
    private readonly providers: Providers,
    private readonly links: PaymentLinks,
    private readonly logger: Logger,
  ) {}

  /**
   * A pending payment for the student's subscription to the plan (created PENDING on first use),
   * with where to pay: a checkout URL, or a Fawry reference number. The student or their guardian
   * pays. Asking again while an unexpired payment of the same provider and method is open returns
   * that one (a double click pays once). The payment is committed before the provider is called,
   * so nothing the provider knows of is ever missing here; if the provider cannot be reached the
   * payment is marked FAILED and the answer is SERVICE_UNAVAILABLE naming it.
   */
  async subscribe(ctx: BillingContext, req: SubscribeRequest): Promise<Payment> {
    const viewer = viewerOf(ctx);
    const planId = uuidArg(req.planId, 'planId');
    const studentId = uuidArg(req.studentId, 'studentId');
    const plan = await ctx.loaders.plan.load(planId);
    if (!plan) throw notFound('Plan');
    if (!plan.active) throw conflict('This plan is no longer sold');
    if (!(await billingPolicy.canPayFor(ctx, viewer, studentId))) throw forbidden('Only the student and their guardians can pay for them');
    const gateway = this.providers.get(req.provider);
    if (!gateway.methods.includes(req.method)) throw badInput(`${NAMES[req.provider]} does not take ${req.method} payments`, 'method');

    const { payment, open } = await this.openPayment(ctx, viewer, plan, studentId, req);
    if (open) return payment;

    const profile = await ctx.loaders.billingProfile.load(viewer.schoolId);
    let checkout;
    try {
      checkout = await gateway.createCheckout({
        payment,
        description: plan.name,
        payer: await this.payer(ctx, viewer, req.contact),
        returnUrl: this.links.returnUrl,
        notificationUrl: `${this.links.publicUrl}/webhooks/${req.provider.toLowerCase()}`,
        locale: profile?.locale === Locale.EN ? 'en' : 'ar',
      });
    } catch (err) {
      if (!(err instanceof ProviderUnavailable || err instanceof ProviderRejected)) throw err;
      await ctx.em.nativeUpdate(
        Payment,
        { id: payment.id, status: PaymentStatus.PENDING },
        { status: PaymentStatus.FAILED, failureReason: err.message.slice(0, 300) },
      );
      if (err instanceof ProviderRejected) this.logger.error({ err, paymentId: payment.id }, 'payment provider refused a checkout');
      throw providerUnavailable(err.service);
    }
    return ctx.em.transactional(async (tx) => {
      const saved = await tx.findOneOrFail(Payment, { id: payment.id }, { ...writeLock(tx), refresh: true });
      saved.providerOrderId = checkout.providerOrderId;
      saved.checkoutUrl = checkout.checkoutUrl;
      saved.fawryReferenceNumber ??= checkout.referenceNumber;
      saved.expiresAt = checkout.expiresAt;
      return saved;
    });
  }

  /** The subscription (made on first use) and a new pending payment, or the open one to reuse. */
  private async openPayment(ctx: BillingContext, viewer: Viewer, plan: Plan, studentId: string, req: SubscribeRequest) {
    const attempt = () =>
      ctx.em.transactional(async (tx) => {
        let subscription = await tx.findOne(PlanSubscription, { plan: plan.id, studentId }, { ...writeLock(tx), refresh: true });
        if (!subscription) {
          subscription = tx.create(PlanSubscription, {
            schoolId: viewer.schoolId,
            plan: tx.getReference(Plan, plan.id),
            studentId,
            payerId: viewer.id,
          });
          // Flushed now so that a concurrent first subscribe fails here, on the (plan, student) key.
          await tx.flush();
        } else if (
          plan.interval === PlanInterval.ONE_TIME &&
          [PlanSubscriptionStatus.ACTIVE, PlanSubscriptionStatus.PAST_DUE].includes(subscription.status)
        ) {
          throw conflict('This student already has this one-time plan');
        }
        const open = await tx.findOne(
          Payment,
          {
            subscription: subscription.id,
            payerId: viewer.id,
            provider: req.provider,
            method: req.method,
            status: PaymentStatus.PENDING,
            expiresAt: { $gt: new Date() },
          },
          { orderBy: { createdAt: 'desc' } },
        );
        if (open) return { payment: open, open: true };
        const payment = tx.create(Payment, {
          schoolId: viewer.schoolId,
          subscription,
          planId: plan.id,
          studentId,
          payerId: viewer.id,
          amountPiasters: plan.amountPiasters,
          provider: req.provider,
          method: req.method,
          merchantRef: newMerchantRef(),
          schoolSlug: ctx.tenant?.slug,
        });
        return { payment, open: false };
      });
    return retryOnDeadlock(async () => {
      try {
        return await attempt();
      } catch (err) {
        // Two first subscriptions at once: the loser finds the winner's row on its second try.
        if (err instanceof UniqueConstraintViolationException) return attempt();
        throw err;
      }
    });
  }

  /** The payer as the provider shows them: name from the people read model, contact as given. */
  private async payer(ctx: BillingContext, viewer: Viewer, contact?: PaymentContactInput): Promise<Payer> {
    const person = await ctx.loaders.person.load(viewer.id);
    return { id: viewer.id, name: person?.displayName, email: contact?.email ?? undefined, phone: contact?.phone ?? undefined };
  }
}
