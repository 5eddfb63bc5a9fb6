import type { Feature } from '../../../platform/subgraph/feature';
import { UserBillingResolver, userReference } from './payment.extensions';
import { Payment } from './payment.entity';
import { paymentLoaders } from './payment.loaders';
import { PaymentResolver, paymentReference } from './payment.resolver';

/** Payments (`subscribe`), and what a person's payments and subscriptions add to `User`. */
export const paymentFeature = {
  entities: [Payment],
  resolvers: [PaymentResolver, UserBillingResolver],
  references: { Payment: paymentReference, User: userReference },
  loaders: paymentLoaders,
} satisfies Feature;
