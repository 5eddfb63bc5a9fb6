import { idsBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { GuardianLink } from './guardian-link.entity';

/** The guardian feature's per-request loaders (through the request's tenant-scoped EntityManager). */
export function guardianLoaders({ em }: LoaderContext) {
  return {
    /** Student ids a guardian follows (guardian read model). */
    childIds: idsBy(
      (ids) => em.find(GuardianLink, { guardianId: { $in: ids } }),
      (l) => l.guardianId,
      (l) => l.studentId,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface BillingLoaders extends ReturnType<typeof guardianLoaders> {}
}
