import DataLoader from 'dataloader';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { GuardianLink } from './guardian-link.entity';

/** The guardian feature's per-request loaders (one `IN (…)` query per tick each, through the request's tenant-scoped EntityManager). */
export function guardianLoaders({ em }: LoaderContext) {
  return {
    /** Student ids a guardian follows (guardian read model). */
    childIds: new DataLoader<string, string[]>(async (ids) => {
      const links = await em.find(GuardianLink, { guardianId: { $in: [...ids] } });
      return ids.map((id) => links.filter((l) => l.guardianId === id).map((l) => l.studentId));
    }),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  interface CoursesLoaders extends ReturnType<typeof guardianLoaders> {}
}
