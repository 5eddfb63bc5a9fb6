import type { Feature } from '../../../platform/subgraph/feature';
import { BillingProfile } from './billing-profile.entity';
import { billingProfileLoaders } from './billing-profile.loaders';
import { BillingProfileResolver } from './billing-profile.resolver';

/** The school's invoicing details and billing language. */
export const billingProfileFeature = {
  entities: [BillingProfile],
  resolvers: [BillingProfileResolver],
  loaders: billingProfileLoaders,
} satisfies Feature;
