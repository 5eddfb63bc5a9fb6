import { outboxEntities } from '../../platform/outbox/outbox';
import { assemble } from '../../platform/subgraph/feature';
import type { BillingLoaders } from './context';
import { guardianFeature } from './guardian/guardian.feature';
import { invoiceFeature } from './invoice/invoice.feature';
import { moneyFeature } from './money/money.feature';
import { paymentFeature } from './payment/payment.feature';
import { personFeature } from './person/person.feature';
import { planFeature } from './plan/plan.feature';
import { billingProfileFeature } from './profile/billing-profile.feature';
import { refundFeature } from './refund/refund.feature';
import { settlementFeature } from './settlement/settlement.feature';
import { planSubscriptionFeature } from './subscription/plan-subscription.feature';

/** The billing subgraph, feature by feature (parents first); its schema, entities, loaders and consumers come from here. */
export const features = [
  billingProfileFeature,
  moneyFeature,
  planFeature,
  planSubscriptionFeature,
  paymentFeature,
  settlementFeature,
  invoiceFeature,
  refundFeature,
  guardianFeature,
  personFeature,
] as const;

export const billing = assemble(features);

/** Every table of the subgraph: its features' and the outbox's. */
export const entities = [...billing.entities, ...outboxEntities];

/** Per-request loaders; typed so that a loader a feature declares (context.ts) but none provides fails to compile. */
export const createLoaders: (...args: Parameters<typeof billing.createLoaders>) => BillingLoaders = billing.createLoaders;
