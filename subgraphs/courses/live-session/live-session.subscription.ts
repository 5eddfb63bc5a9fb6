import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { BusEvent } from '../../../platform/bus/event-bus';
import { forbidden } from '../../../platform/errors';
import type { SubscriptionContext } from '../../../platform/graphql/subgraph-ws';
import type { CoursesLoaders } from '../context';
import { viewerOf } from '../../../platform/auth/viewer';
import { liveSessionTopic, type LiveSessionEventData } from './live-event';
import { liveSessionEventFromBus, LiveSessionEventView } from './live-session-event.type';
import { canWatchSession } from './live-session.policy';

/**
 * `Subscription.liveSessionEvents`, served to the gateway over graphql-ws
 * (platform/graphql/subgraph-ws.ts): each client is admitted with its own identity by
 * `canWatchSession`; the feed is the session's bus topic, replayed after `after` then live.
 * Every admitted watcher sees the same events, so the gateway may share one feed between all the
 * watchers with the same roles (`sharing: 'role'`), resolving events as "a student of this
 * school" rather than as any one of them.
 */
@Resolver()
export class LiveSessionSubscription {
  @Subscription(() => LiveSessionEventView, {
    description:
      "The classroom events of a live session, in order: its teacher, school admins, its course's enrolled students and their guardians. " +
      'With `after` (the `id` of the last event received), every event still held after it is replayed first, then live ones follow.',
    subscribe: async ({ args, context }) => {
      const ctx = context as SubscriptionContext<CoursesLoaders>;
      const viewer = viewerOf(ctx);
      const { sessionId, after } = args as { sessionId: string; after?: string | null };
      // Another school's session is not found through the tenant-scoped loaders: refused the same way.
      if (!(await canWatchSession(ctx, sessionId))) throw forbidden('Not allowed to follow this live session');
      return ctx.live.topic(liveSessionTopic(viewer.schoolId, sessionId), { after, sharing: 'role' });
    },
  })
  liveSessionEvents(
    @Root() event: BusEvent<LiveSessionEventData>,
    @Arg('sessionId', () => ID) _sessionId: string,
    @Arg('after', () => ID, { nullable: true }) _after?: string,
  ): LiveSessionEventView {
    return liveSessionEventFromBus(event);
  }
}
