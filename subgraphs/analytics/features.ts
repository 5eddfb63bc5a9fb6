import { outboxEntities } from '../../platform/outbox/outbox';
import { assemble } from '../../platform/subgraph/feature';
import type { AnalyticsLoaders } from './context';
import { courseFeature } from './course/course.feature';
import { dashboardFeature } from './dashboard/dashboard.feature';
import { enrollmentFeature } from './enrollment/enrollment.feature';
import { liveSessionFeature } from './live-session/live-session.feature';
import { paymentFeature } from './payment/payment.feature';
import { personFeature } from './person/person.feature';
import { quizFeature } from './quiz/quiz.feature';
import { reportFeature } from './report/report.feature';
import { schoolFeature } from './school/school.feature';

/** The analytics subgraph, feature by feature (parents first); its schema, entities, loaders and consumers come from here. */
export const features = [
  courseFeature,
  enrollmentFeature,
  quizFeature,
  liveSessionFeature,
  paymentFeature,
  schoolFeature,
  dashboardFeature,
  personFeature,
  reportFeature,
] as const;

export const analytics = assemble(features);

/** Every table of the subgraph: its features' and the outbox's. */
export const entities = [...analytics.entities, ...outboxEntities];

/** Per-request loaders; typed so that a loader a feature declares (context.ts) but none provides fails to compile. */
export const createLoaders: (...args: Parameters<typeof analytics.createLoaders>) => AnalyticsLoaders = analytics.createLoaders;
