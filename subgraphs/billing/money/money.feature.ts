import type { Feature } from '../../../platform/subgraph/feature';
import { MoneyResolver } from './money.resolver';

/** Amounts as a GraphQL type, written in the viewer's language. */
export const moneyFeature = {
  resolvers: [MoneyResolver],
} satisfies Feature;
