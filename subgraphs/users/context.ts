import { byId, idsBy } from '../../platform/graphql/loaders';
import type { SubgraphContext } from '../../platform/graphql/subgraph-server';
import { School } from './school/school.entity';
import { GuardianLink } from './guardian/guardian-link.entity';
import { User } from './user/user.entity';

/**
 * Per-request batching: resolving 50 users (or their guardians) costs one query, not 50.
 * Every loader reads through the request's tenant-scoped EntityManager.
 */
export function createLoaders({ em }: Omit<SubgraphContext, 'loaders'>) {
  return {
    school: byId((ids) => em.find(School, { id: { $in: ids } })),
    user: byId((ids) => em.find(User, { id: { $in: ids } })),
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

export type UsersLoaders = ReturnType<typeof createLoaders>;
export type UsersContext = SubgraphContext<UsersLoaders>;
