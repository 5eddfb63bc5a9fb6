import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AnalyticsContext } from '../context';
import { LiveSessionRef, liveSessionRef } from '../references';
import { LiveSessionAnalytics } from './live-session-analytics.type';
import type { LiveSessions } from './live-sessions';
import { sessionReadableBy } from './live-session.policy';

/** The field analytics adds to the courses subgraph's `LiveSession`. */
@Resolver(() => LiveSessionRef)
export class LiveSessionAnalyticsResolver {
  constructor(private readonly sessions: LiveSessions) {}

  @FieldResolver(() => LiveSessionAnalytics, {
    description:
      "The classroom figures, live while the session runs and final once it ended; the course's teacher and the school's admins only.",
  })
  async analytics(@Root() ref: LiveSessionRef, @Ctx() ctx: AnalyticsContext): Promise<LiveSessionAnalytics> {
    const session = await sessionReadableBy(ctx, ref.id);
    const stats = session ? await ctx.loaders.liveSessionStats.load(session.id) : null;
    return this.sessions.figures(ctx.tenant!.id, session, stats);
  }
}

/** `_entities` lookups of a LiveSession: courses resolved it (and who may see it) before the gateway asks here. */
export const liveSessionReference = {
  __resolveReference: (ref: { id: string }) => liveSessionRef(ref.id),
};
