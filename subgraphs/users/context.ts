import DataLoader from 'dataloader';
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
    school: new DataLoader<string, School | null>(async (ids) => {
      const rows = await em.find(School, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((s) => s.id === id) ?? null);
    }),
    user: new DataLoader<string, User | null>(async (ids) => {
      const rows = await em.find(User, { id: { $in: [...ids] } });
      const byId = new Map(rows.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Student ids per guardian id. */
    childIds: new DataLoader<string, string[]>(async (ids) => {
      const links = await em.find(GuardianLink, { guardian: { $in: [...ids] } });
      return ids.map((id) => links.filter((l) => l.guardian.id === id).map((l) => l.student.id));
    }),
    /** Guardian ids per student id. */
    guardianIds: new DataLoader<string, string[]>(async (ids) => {
      const links = await em.find(GuardianLink, { student: { $in: [...ids] } });
      return ids.map((id) => links.filter((l) => l.student.id === id).map((l) => l.guardian.id));
    }),
  };
}

export type UsersLoaders = ReturnType<typeof createLoaders>;
export type UsersContext = SubgraphContext<UsersLoaders>;
