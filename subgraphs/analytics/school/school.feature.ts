import type { Feature } from '../../../platform/subgraph/feature';
import { MoneyResolver } from '../payment/money';
import { SchoolRef } from '../references';
import { SchoolAnalyticsResolver, schoolReference } from './school-analytics.resolver';

/** `School.analytics`: the school's figures over its facts. */
export const schoolFeature = {
  resolvers: [SchoolAnalyticsResolver, MoneyResolver],
  references: { School: schoolReference },
  entityTypes: [SchoolRef],
} satisfies Feature;
