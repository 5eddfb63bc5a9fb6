import type { Feature } from '../../../platform/subgraph/feature';
import { PlanSubscription } from './plan-subscription.entity';
import { planSubscriptionLoaders } from './plan-subscription.loaders';
import { PlanSubscriptionResolver, planSubscriptionReference } from './plan-subscription.resolver';

/** Students' subscriptions to plans: activation (settlement), cancellation and expiry (the sweep). */
export const planSubscriptionFeature = {
  entities: [PlanSubscription],
  resolvers: [PlanSubscriptionResolver],
  references: { PlanSubscription: planSubscriptionReference },
  loaders: planSubscriptionLoaders,
} satisfies Feature;
