import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CoursesContext } from '../context';
import { UserRef, userRef } from '../references';
import { LiveSession } from './live-session.entity';
import { LiveSessionEventView } from './live-session-event.type';
import { pollFromEvent, PollView } from './poll.type';

/** Fields of a classroom event. Whoever gets an event may see it whole: `canWatchSession` decides that first. */
@Resolver(() => LiveSessionEventView)
export class LiveSessionEventResolver {
  @FieldResolver(() => LiveSession)
  async session(@Root() event: LiveSessionEventView, @Ctx() ctx: CoursesContext): Promise<LiveSession> {
    return (await ctx.loaders.liveSession.load(event.data.sessionId))!;
  }

  @FieldResolver(() => UserRef, { nullable: true, description: 'Who acted; null for system events.' })
  actor(@Root() event: LiveSessionEventView): UserRef | null {
    return event.data.actorId ? userRef(event.data.actorId) : null;
  }

  @FieldResolver(() => UserRef, {
    nullable: true,
    description: "Whom the event is about when someone else acted (a student's hand lowered by the teacher).",
  })
  subject(@Root() event: LiveSessionEventView): UserRef | null {
    return event.data.subjectId ? userRef(event.data.subjectId) : null;
  }

  @FieldResolver(() => PollView, { nullable: true, description: 'The poll as it was at that moment (POLL_* events).' })
  poll(@Root() event: LiveSessionEventView): PollView | null {
    return pollFromEvent(event.data);
  }
}
