import { byId } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { User } from './user.entity';

/** The user feature's per-request loaders: resolving 50 users costs one query, not 50. */
export function userLoaders({ em }: LoaderContext) {
  return {
    user: byId((ids) => em.find(User, { id: { $in: ids } })),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface UsersLoaders extends ReturnType<typeof userLoaders> {}
}
