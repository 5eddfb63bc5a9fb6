import { byId } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { Contact } from './contact.entity';

/** The contact feature's per-request loaders (one `IN (…)` query per tick, through the request's tenant-scoped EntityManager). */
export function contactLoaders({ em }: LoaderContext) {
  return {
    /** A person of the request's school as messaging knows them (roles, active, email, phone, language), by user id; null for anyone else. */
    contact: byId((ids) => em.find(Contact, { id: { $in: ids } })),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface MessagingLoaders extends ReturnType<typeof contactLoaders> {}
}
