import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import type { BusEvent } from '../../../platform/bus/event-bus';
import { notFound } from '../../../platform/errors';
import { uuidArg } from '../../../platform/graphql/ids';
import type { SubscriptionContext } from '../../../platform/graphql/subgraph-ws';
import type { AnalyticsLoaders } from '../context';
import { dashboardTopics } from '../dashboard/topics';
import { LiveSessionAnalytics } from './live-session-analytics.type';
import { sessionReadableBy } from './live-session.policy';

/**
 * `Subscription.liveSessionAnalytics`: a live session's classroom figures each time they change,
 * at most once per interval with the newest value (live-sessions.ts through the dashboards'
 * coalescer). Admitted like `LiveSession.analytics` (the course's teacher, the school's admins);
 * a session of another school is unknown here and refused. Every admitted watcher sees the same
 * figures: shared per role.
 */
@Resolver()
export class LiveSessionAnalyticsSubscription {
  @Subscription(() => LiveSessionAnalytics, {
    description:
      "A live session's classroom figures each time they change, at most once a second: the course's teacher and the school's admins only.",
    subscribe: async ({ args, context }) => {
      const ctx = context as SubscriptionContext<AnalyticsLoaders>;
      const viewer = viewerOf(ctx);
      const sessionId = uuidArg((args as { sessionId: string }).sessionId, 'sessionId');
      const session = await sessionReadableBy(ctx, sessionId);
      if (!session) throw notFound('Live session');
      return ctx.live.topic(dashboardTopics.session(viewer.schoolId, session.id), { sharing: 'role' });
    },
  })
  liveSessionAnalytics(
    @Root() event: BusEvent<LiveSessionAnalytics>,
    @Arg('sessionId', () => ID) _sessionId: string,
  ): LiveSessionAnalytics {
    return event.data;
  }
}
