import type { MikroORM } from '@mikro-orm/core';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { retryOnDeadlock, writeLock } from '../../../platform/db/locks';
import { PlanSubscription, PlanSubscriptionStatus } from './plan-subscription.entity';
import { expireNow } from './plan-subscription.service';

const BATCH = 500;

/**
 * Subscriptions whose paid period is over: an ACTIVE one becomes PAST_DUE for `graceMs` (the
 * student stays enrolled while a renewal may still come), then EXPIRED; a CANCELED one that had
 * been paid EXPIRES at its period's end. Each expiry records `plan.subscription.expired`, on
 * which courses drops the enrollment. Safe to run anywhere at once: each row is rechecked under
 * its lock.
 */
export async function expireSubscriptions(orm: MikroORM, graceMs: number, now = new Date()): Promise<number> {
  const graceEnd = new Date(now.getTime() - graceMs);
  // Across schools (a background job): the tenant filter is lifted for this read only.
  const due = await orm.em.fork().find(
    PlanSubscription,
    {
      $or: [
        { status: { $in: [PlanSubscriptionStatus.ACTIVE, PlanSubscriptionStatus.CANCELED] }, currentPeriodEnd: { $lte: now } },
        { status: PlanSubscriptionStatus.PAST_DUE, currentPeriodEnd: { $lte: graceEnd } },
      ],
    },
    { filters: { [TENANT_FILTER]: false }, orderBy: { currentPeriodEnd: 'asc' }, limit: BATCH },
  );
  let changed = 0;
  for (const { id, schoolId } of due) {
    const did = await retryOnDeadlock(() =>
      scopeToTenant(orm.em.fork(), schoolId).transactional(async (tx) => {
        const s = await tx.findOneOrFail(PlanSubscription, { id }, { ...writeLock(tx), refresh: true });
        const end = s.currentPeriodEnd;
        if (!end || end > now) return false;
        if (s.status === PlanSubscriptionStatus.ACTIVE && end > graceEnd) {
          s.status = PlanSubscriptionStatus.PAST_DUE;
          return true;
        }
        const over =
          s.status === PlanSubscriptionStatus.ACTIVE ||
          s.status === PlanSubscriptionStatus.CANCELED ||
          (s.status === PlanSubscriptionStatus.PAST_DUE && end <= graceEnd);
        if (!over) return false;
        await expireNow(tx, s, now);
        return true;
      }),
    );
    if (did) changed++;
  }
  return changed;
}
