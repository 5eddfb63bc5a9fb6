import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { BusEvent } from '../../../platform/bus/event-bus';
import { forbidden } from '../../../platform/errors';
import type { LiveFeeds } from '../../../platform/graphql/live-stream';
import type { SubscriptionContext } from '../../../platform/graphql/subgraph-ws';
import type { CoursesContext, CoursesLoaders } from '../context';
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
/** The arguments of `liveSessionEvents`. */
export interface LiveSessionWatch {
  sessionId: string;
  after?: string | null;
}

/**
 * The feed of `liveSessionEvents` for the viewer of `ctx`, or FORBIDDEN / UNAUTHENTICATED /
 * BAD_USER_INPUT: the one admission rule, for the subscription and for the gateway's batched
 * admissions (live-session.admissions.ts) alike.
 */
export async function watchLiveSession(ctx: CoursesContext, live: LiveFeeds, { sessionId, after }: LiveSessionWatch) {
  const viewer = viewerOf(ctx);
  // Another school's session is not found through the tenant-scoped loaders: refused the same way.
  if (!(await canWatchSession(ctx, sessionId))) throw forbidden('Not allowed to follow this live session');
  return live.topic(liveSessionTopic(viewer.schoolId, sessionId), { after, sharing: 'role' });
}

@Resolver()
export class LiveSessionSubscription {
  @Subscription(() => LiveSessionEventView, {
    description:
      "The classroom events of a live session, in order: its teacher, school admins, its course's enrolled students and their guardians. " +
      'With `after` (the `id` of the last event received), every event still held after it is replayed first, then live ones follow.',
    subscribe: ({ args, context }) => {
      const ctx = context as SubscriptionContext<CoursesLoaders>;
      return watchLiveSession(ctx, ctx.live, args as LiveSessionWatch);
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
