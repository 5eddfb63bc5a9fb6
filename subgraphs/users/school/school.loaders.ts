import { byId } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { School } from './school.entity';

/** The school feature's per-request loaders (through the request's tenant-scoped EntityManager). */
export function schoolLoaders({ em }: LoaderContext) {
  return {
    school: byId((ids) => em.find(School, { id: { $in: ids } })),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface UsersLoaders extends ReturnType<typeof schoolLoaders> {}
}
