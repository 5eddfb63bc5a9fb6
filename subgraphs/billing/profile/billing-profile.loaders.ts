import { oneBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { BillingProfile } from './billing-profile.entity';

/** The profile feature's per-request loaders (through the request's tenant-scoped EntityManager). */
export function billingProfileLoaders({ em }: LoaderContext) {
  return {
    /** The school's billing profile by school id, or null when it has none. */
    billingProfile: oneBy(
      (ids) => em.find(BillingProfile, { schoolId: { $in: ids } }),
      (p) => p.schoolId,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface BillingLoaders extends ReturnType<typeof billingProfileLoaders> {}
}
