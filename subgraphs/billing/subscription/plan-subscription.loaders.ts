import { byId, listBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { PlanSubscription } from './plan-subscription.entity';

/** The subscription feature's per-request loaders (tenant-scoped, one query per tick each). */
export function planSubscriptionLoaders({ em }: LoaderContext) {
  return {
    planSubscription: byId((ids) => em.find(PlanSubscription, { id: { $in: ids } })),
    /** A student's subscriptions, oldest first. */
    planSubscriptionsByStudent: listBy(
      (ids) => em.find(PlanSubscription, { studentId: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      (s) => s.studentId,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface BillingLoaders extends ReturnType<typeof planSubscriptionLoaders> {}
}
