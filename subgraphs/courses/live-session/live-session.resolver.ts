import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { Person } from '../../../platform/people/person.entity';
import { UserRef, userRef } from '../references';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { Attendance } from './attendance.entity';
import { LiveSession } from './live-session.entity';
import { ScheduleLiveSessionInput } from './live-session.input';
import { canWatchSession } from './live-session.policy';
import type { LiveSessionService } from './live-session.service';
import { pollView, PollView } from './poll.type';
import { roomOf, type Presence } from './presence';

@Resolver(() => LiveSession)
export class LiveSessionResolver {
  constructor(
    private readonly sessions: LiveSessionService,
    private readonly presence: Presence,
  ) {}

  @Authorized()
  @Query(() => LiveSession, { nullable: true, description: 'A live session of a course the caller may see; null otherwise.' })
  liveSession(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<LiveSession | null> {
    return visibleSession(ctx, id);
  }

  @Authorized()
  @Mutation(() => LiveSession, { description: "The course's teacher or a school admin; startsAt in the future." })
  scheduleLiveSession(
    @Arg('courseId', () => ID) courseId: string,
    @Arg('input') input: ScheduleLiveSessionInput,
    @Ctx() ctx: CoursesContext,
  ): Promise<LiveSession> {
    return this.sessions.schedule(ctx, courseId, input);
  }

  @Authorized()
  @Mutation(() => LiveSession, {
    description:
      "The course's teacher or a school admin moves a SCHEDULED session: startsAt in the future; endsAt omitted keeps the planned duration, null clears it.",
  })
  rescheduleLiveSession(
    @Arg('id', () => ID) id: string,
    @Arg('startsAt', () => Date) startsAt: Date,
    @Arg('endsAt', () => Date, { nullable: true }) endsAt: Date | null | undefined,
    @Ctx() ctx: CoursesContext,
  ): Promise<LiveSession> {
    return this.sessions.reschedule(ctx, id, startsAt, endsAt);
  }

  @Authorized()
  @Mutation(() => LiveSession, {
    description:
      "The course's teacher or a school admin calls off a SCHEDULED session (SCHEDULED → CANCELED); a live one is ended instead.",
  })
  cancelLiveSession(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason: string | null | undefined,
    @Ctx() ctx: CoursesContext,
  ): Promise<LiveSession> {
    return this.sessions.cancel(ctx, id, reason);
  }

  @Authorized()
  @Mutation(() => LiveSession, { description: 'Opens the room (SCHEDULED → LIVE).' })
  startLiveSession(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<LiveSession> {
    return this.sessions.start(ctx, id);
  }

  @Authorized()
  @Mutation(() => LiveSession, {
    description: 'Closes the room (LIVE → ENDED) and settles attendance: enrolled students who never joined are ABSENT.',
  })
  endLiveSession(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<LiveSession> {
    return this.sessions.end(ctx, id);
  }

  @Authorized()
  @Mutation(() => LiveSession, {
    description: 'Enters the room of a LIVE session (teacher, admins, enrolled students); records attendance.',
  })
  joinLiveSession(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<LiveSession> {
    return this.sessions.join(ctx, id);
  }

  @Authorized()
  @Mutation(() => LiveSession)
  leaveLiveSession(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<LiveSession> {
    return this.sessions.leave(ctx, id);
  }

  @Authorized()
  @Mutation(() => Attendance, {
    description: "The course's teacher or a school admin excuses an enrolled student, before or after the session.",
  })
  excuseAttendance(
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('studentId', () => ID) studentId: string,
    @Ctx() ctx: CoursesContext,
  ): Promise<Attendance> {
    return this.sessions.excuse(ctx, sessionId, studentId);
  }

  @FieldResolver(() => Course)
  async course(@Root() session: LiveSession, @Ctx() ctx: CoursesContext): Promise<Course> {
    return (await ctx.loaders.course.load(session.course.id))!;
  }

  @FieldResolver(() => [Attendance], {
    description:
      "The teacher and admins see everyone's; students their own; parents their children's. ABSENT records appear when the session ends.",
  })
  async attendance(@Root() session: LiveSession, @Ctx() ctx: CoursesContext): Promise<Attendance[]> {
    const viewer = viewerOf(ctx);
    const course = (await ctx.loaders.course.load(session.course.id))!;
    const all = await knownOnly(ctx, await ctx.loaders.attendanceBySession.load(session.id));
    if (coursePolicy.canManage(viewer, course)) return all;
    const visible = new Set(await coursePolicy.followedStudentIds(ctx, viewer));
    return all.filter((a) => visible.has(a.studentId));
  }

  @FieldResolver(() => [UserRef], { description: 'Who is in the room now (those who may follow the session).' })
  async participants(@Root() session: LiveSession, @Ctx() ctx: CoursesContext): Promise<UserRef[]> {
    if (!(await canWatchSession(ctx, session.id))) return [];
    return (await this.presence.members(roomOf(session.schoolId, session.id))).map(userRef);
  }

  @FieldResolver(() => [UserRef], { description: 'Raised hands, first raised first (those who may follow the session).' })
  async raisedHands(@Root() session: LiveSession, @Ctx() ctx: CoursesContext): Promise<UserRef[]> {
    if (!(await canWatchSession(ctx, session.id))) return [];
    return (await this.presence.hands(roomOf(session.schoolId, session.id))).map(userRef);
  }

  @FieldResolver(() => [PollView], { description: 'Polls of the session, oldest first (those who may follow the session).' })
  async polls(@Root() session: LiveSession, @Ctx() ctx: CoursesContext): Promise<PollView[]> {
    if (!(await canWatchSession(ctx, session.id))) return [];
    return (await ctx.loaders.pollsBySession.load(session.id)).map(pollView);
  }
}

async function visibleSession(ctx: CoursesContext, id: string): Promise<LiveSession | null> {
  const viewer = optionalViewer(ctx);
  if (!viewer) return null;
  const session = await ctx.loaders.liveSession.load(id);
  return (await coursePolicy.viewableCourseOf(ctx, viewer, session)) ? session : null;
}

/** `_entities` lookups of a LiveSession (the subscription's per-event fetches, other subgraphs): same visibility as `liveSession(id)`. */
export const liveSessionReference = {
  __resolveReference: (ref: { id: string }, ctx: CoursesContext) => visibleSession(ctx, ref.id),
};

/**
 * The records of people the read model knows: ABSENT records were made for every enrollment,
 * including old ones naming nobody, and users' null for such a `student: User!` would blank the
 * whole session at the gateway.
 */
async function knownOnly(ctx: CoursesContext, records: Attendance[]): Promise<Attendance[]> {
  const people = await ctx.loaders.person.loadMany(records.map((r) => r.studentId));
  return records.filter((_, i) => people[i] instanceof Person);
}
