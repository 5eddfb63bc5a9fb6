import { oneBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { Invoice } from './invoice.entity';

/** The invoice feature's per-request loaders (tenant-scoped). */
export function invoiceLoaders({ em }: LoaderContext) {
  return {
    /** The invoice of a payment (by payment id), or null before it is paid. */
    invoiceByPayment: oneBy(
      (ids) => em.find(Invoice, { payment: { $in: ids } }),
      (i) => i.payment.id,
    ),
  };
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface BillingLoaders extends ReturnType<typeof invoiceLoaders> {}
}
