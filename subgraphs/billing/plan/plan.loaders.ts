import { byId, listBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { Plan } from './plan.entity';

/** The plan feature's per-request loaders (one `IN (…)` query per tick each, tenant-scoped). */
export function planLoaders({ em }: LoaderContext) {
  return {
    plan: byId((ids) => em.find(Plan, { id: { $in: ids } })),
    /** Active plans of each course, cheapest first. */
    activePlansByCourse: listBy(
      (ids) => em.find(Plan, { courseId: { $in: ids }, active: true }, { orderBy: { amountPiasters: 'asc', createdAt: 'asc' } }),
      (p) => p.courseId!,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface BillingLoaders extends ReturnType<typeof planLoaders> {}
}
