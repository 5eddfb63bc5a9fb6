import { idsBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { GuardianLink } from './guardian-link.entity';

/** The guardian feature's per-request loaders: links in both directions, one query per tick each. */
export function guardianLoaders({ em }: LoaderContext) {
  return {
    /** Student ids per guardian id. */
    childIds: idsBy(
      (ids) => em.find(GuardianLink, { guardian: { $in: ids } }),
      (l) => l.guardian.id,
      (l) => l.student.id,
    ),
    /** Guardian ids per student id. */
    guardianIds: idsBy(
      (ids) => em.find(GuardianLink, { student: { $in: ids } }),
      (l) => l.student.id,
      (l) => l.guardian.id,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface UsersLoaders extends ReturnType<typeof guardianLoaders> {}
}
