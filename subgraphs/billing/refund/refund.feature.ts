import type { Feature } from '../../../platform/subgraph/feature';
import { Refund } from './refund.entity';
import { RefundResolver } from './refund.resolver';

/** Partial and full refunds of paid payments. */
export const refundFeature = {
  entities: [Refund],
  resolvers: [RefundResolver],
} satisfies Feature;
