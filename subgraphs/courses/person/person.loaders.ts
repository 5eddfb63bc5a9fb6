import { byId } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { Person } from './person.entity';

/** The person feature's per-request loaders (through the request's tenant-scoped EntityManager). */
export function personLoaders({ em }: LoaderContext) {
  return {
    /** A person of the request's school, by user id (read model); null for anyone else. */
    person: byId((ids) => em.find(Person, { id: { $in: ids } })),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface CoursesLoaders extends ReturnType<typeof personLoaders> {}
}
