import { byId } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { Payment } from './payment.entity';

/** The payment feature's per-request loaders (tenant-scoped). */
export function paymentLoaders({ em }: LoaderContext) {
  return {
    payment: byId((ids) => em.find(Payment, { id: { $in: ids } })),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface BillingLoaders extends ReturnType<typeof paymentLoaders> {}
}
