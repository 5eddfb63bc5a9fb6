import type { EntityManager } from '@mikro-orm/core';
import { viewerOf } from '../../../platform/auth/viewer';
import { domainEvent } from '../../../platform/events/domain-events';
import { conflict, forbidden, notFound } from '../../../platform/errors';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { BillingContext } from '../context';
import { isUuid } from '../../../platform/graphql/ids';
import { Plan, PlanInterval } from '../plan/plan.entity';
import { billingPolicy } from '../policy';
import { retryOnDeadlock, writeLock } from '../../../platform/db/locks';
import { PlanSubscription, PlanSubscriptionStatus } from './plan-subscription.entity';

/**
 * Ends a subscription now, inside the caller's transaction: EXPIRED, and `plan.subscription.expired`
 * when it had ever been paid (courses drops the enrollment it made).
 */
export async function expireNow(tx: EntityManager, subscription: PlanSubscription, now = new Date()): Promise<void> {
  if (subscription.status === PlanSubscriptionStatus.EXPIRED) return;
  const wasPaid = !!subscription.activatedAt;
  subscription.status = PlanSubscriptionStatus.EXPIRED;
  subscription.expiredAt = now;
  if (!wasPaid) return;
  const plan = await tx.findOneOrFail(Plan, { id: subscription.plan.id });
  recordEvent(
    tx,
    domainEvent('plan.subscription.expired', subscription.schoolId, {
      subscriptionId: subscription.id,
      planId: plan.id,
      courseId: plan.courseId,
      studentId: subscription.studentId,
      expiredAt: now.toISOString(),
    }),
  );
}

export class PlanSubscriptionService {
  /**
   * Stops the renewals: a pending subscription is canceled at once; a paid one keeps its access
   * until `currentPeriodEnd` (the sweep then expires it); one past due ends now. A one-time
   * purchase has no renewal to stop (CONFLICT; refund it instead). Idempotent.
   * By the payer, the student's guardians or school admins.
   */
  async cancel(ctx: BillingContext, id: string): Promise<PlanSubscription> {
    const viewer = viewerOf(ctx);
    const found = isUuid(id) ? await ctx.loaders.planSubscription.load(id.toLowerCase()) : null;
    if (!found || !(await billingPolicy.canSeeSubscription(ctx, viewer, found))) throw notFound('Plan subscription');
    const allowed =
      viewer.isAdmin ||
      found.payerId === viewer.id ||
      (viewer.isParent && (await billingPolicy.isSelfOrChild(ctx, viewer, found.studentId)));
    if (!allowed) throw forbidden('Only the payer, the student’s guardians and school admins can cancel a subscription');
    return retryOnDeadlock(() =>
      ctx.em.transactional(async (tx) => {
        const subscription = await tx.findOneOrFail(PlanSubscription, { id: found.id }, { ...writeLock(tx), refresh: true });
        const plan = await tx.findOneOrFail(Plan, { id: subscription.plan.id });
        const now = new Date();
        switch (subscription.status) {
          case PlanSubscriptionStatus.PENDING:
            Object.assign(subscription, { status: PlanSubscriptionStatus.CANCELED, canceledAt: now });
            break;
          case PlanSubscriptionStatus.ACTIVE:
            if (plan.interval === PlanInterval.ONE_TIME)
              throw conflict('A one-time purchase has no renewal to cancel; refund its payment instead');
            Object.assign(subscription, { status: PlanSubscriptionStatus.CANCELED, canceledAt: now });
            break;
          case PlanSubscriptionStatus.PAST_DUE:
            subscription.canceledAt = now;
            await expireNow(tx, subscription, now);
            break;
          default:
            break;
        }
        return subscription;
      }),
    );
  }
}
