import type { Feature } from '../../../platform/subgraph/feature';
import { PaymentFact } from './payment-fact.entity';
import { RefundFact } from './refund-fact.entity';

/** Confirmed payments and refunds (revenue). */
export const paymentFeature = { entities: [PaymentFact, RefundFact] } satisfies Feature;
