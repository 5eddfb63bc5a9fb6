import type { Feature } from '../../../platform/subgraph/feature';
import { LiveSessionRef } from '../references';
import { AttendanceFact } from './attendance-fact.entity';
import { LiveSessionAnalyticsResolver, liveSessionReference } from './live-session-analytics.resolver';
import { LiveSessionAnalyticsSubscription } from './live-session-analytics.subscription';
import { LiveSessionFact } from './live-session-fact.entity';
import { LiveSessionStats } from './live-session-stats.entity';
import { liveSessionLoaders } from './live-session.loaders';

/**
 * Live sessions (schedule, start, end), settled attendance, and the classroom figures counted
 * from each running session's stream (`LiveSession.analytics`, `Subscription.liveSessionAnalytics`).
 */
export const liveSessionFeature = {
  entities: [LiveSessionFact, AttendanceFact, LiveSessionStats],
  resolvers: [LiveSessionAnalyticsResolver, LiveSessionAnalyticsSubscription],
  references: { LiveSession: liveSessionReference },
  entityTypes: [LiveSessionRef],
  loaders: liveSessionLoaders,
} satisfies Feature;
