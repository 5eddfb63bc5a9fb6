import type { Feature } from '../../../platform/subgraph/feature';
import { DashboardSubscription } from './dashboard.subscription';

/** The live dashboards of courses and schools (`Subscription.courseAnalytics`, `Subscription.schoolAnalytics`). */
export const dashboardFeature = {
  resolvers: [DashboardSubscription],
} satisfies Feature;
