import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Roles } from '../../../platform/auth/roles';
import { domainEvent } from '../../../platform/events/domain-events';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors';
import type { Logger } from '../../../platform/logger';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { CoursesContext } from '../context';
import { Course, CourseStatus } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { requirePerson } from '../person/person.rules';
import { optionalText, text } from '../../../platform/graphql/validation';
import { viewerOf, type Viewer } from '../../../platform/auth/viewer';
import { Attendance, AttendanceStatus } from './attendance.entity';
import { firstJoinStatus, staySeconds } from './attendance.rules';
import { LiveSessionEventKind } from './live-event';
import type { LiveEvents, SessionEvent } from './live-events';
import { LiveSession, LiveSessionStatus } from './live-session.entity';
import type { ScheduleLiveSessionInput } from './live-session.input';
import { liveSessionPolicy } from './live-session.policy';
import { Poll } from './poll.entity';
import { countVotes, pollSnapshot } from './poll.type';
import { roomOf, type Presence } from './presence';

export interface LiveSessionSettings {
  /** Seconds after the start during which a first join counts as PRESENT (attendance.rules.ts). */
  lateAfterSeconds: number;
}

/**
 * The life of a live session (schedule → [reschedule] → start → end, or cancel before the start)
 * and its attendance (join, leave, excuse).
 * Database changes and their domain events commit together; the classroom's live events go to the
 * bus after the commit, and a bus failure is logged rather than undoing what already happened.
 */
export class LiveSessionService {
  constructor(
    private readonly presence: Presence,
    private readonly live: LiveEvents,
    private readonly settings: LiveSessionSettings,
    private readonly logger: Logger,
  ) {}

  async schedule(ctx: CoursesContext, courseId: string, input: ScheduleLiveSessionInput): Promise<LiveSession> {
    const viewer = viewerOf(ctx);
    const course = await coursePolicy.editable(ctx, viewer, courseId);
    const title = text(input.title, 'title', 200);
    if (input.startsAt.getTime() <= Date.now()) throw badInput('startsAt must be in the future', 'startsAt');
    if (input.endsAt && input.endsAt <= input.startsAt) throw badInput('endsAt must be after startsAt', 'endsAt');
    return ctx.em.transactional(async (tx) => {
      const session = tx.create(LiveSession, {
        schoolId: viewer.schoolId,
        course: tx.getReference(Course, course.id),
        title,
        startsAt: input.startsAt,
        endsAt: input.endsAt ?? undefined,
      });
      recordEvent(
        tx,
        domainEvent('live.session.scheduled', viewer.schoolId, {
          sessionId: session.id,
          courseId: course.id,
          title,
          startsAt: input.startsAt.toISOString(),
          ...(input.endsAt ? { endsAt: input.endsAt.toISOString() } : {}),
        }),
      );
      return session;
    });
  }

  /**
   * Moves a SCHEDULED session (CONFLICT otherwise) to new times: `startsAt` in the future, `endsAt`
   * after it. endsAt omitted keeps the planned duration (or no planned end), null clears it.
   * Records `live.session.rescheduled` with the old times, for notices.
   */
  async reschedule(ctx: CoursesContext, id: string, startsAt: Date, endsAt: Date | null | undefined): Promise<LiveSession> {
    const viewer = viewerOf(ctx);
    const { session, course } = await this.managed(ctx, viewer, id);
    if (course.status === CourseStatus.ARCHIVED) throw conflict('An archived course cannot be changed; publish it again first');
    if (session.status !== LiveSessionStatus.SCHEDULED) throw conflict('Only a scheduled session can be rescheduled');
    if (startsAt.getTime() <= Date.now()) throw badInput('startsAt must be in the future', 'startsAt');
    const plannedEnd =
      endsAt === undefined
        ? session.endsAt && new Date(startsAt.getTime() + (session.endsAt.getTime() - session.startsAt.getTime()))
        : endsAt;
    if (plannedEnd && plannedEnd <= startsAt) throw badInput('endsAt must be after startsAt', 'endsAt');
    const previous = { startsAt: session.startsAt, endsAt: session.endsAt };
    await ctx.em.transactional(async (tx) => {
      // Conditional: a session started meanwhile is not moved.
      const moved = await tx.nativeUpdate(
        LiveSession,
        { id, status: LiveSessionStatus.SCHEDULED },
        { startsAt, endsAt: plannedEnd ?? null },
      );
      if (moved !== 1) throw conflict('Only a scheduled session can be rescheduled');
      recordEvent(
        tx,
        domainEvent('live.session.rescheduled', viewer.schoolId, {
          sessionId: id,
          courseId: course.id,
          title: session.title,
          startsAt: startsAt.toISOString(),
          ...(plannedEnd ? { endsAt: plannedEnd.toISOString() } : {}),
          previousStartsAt: previous.startsAt.toISOString(),
          ...(previous.endsAt ? { previousEndsAt: previous.endsAt.toISOString() } : {}),
        }),
      );
    });
    await ctx.em.refresh(session);
    return session;
  }

  /**
   * Calls off a SCHEDULED session: CANCELED, with the reason given (it cannot be started or joined
   * any more). Canceling a canceled session changes nothing; a LIVE or ENDED one is CONFLICT (a
   * live session is ended instead). Records `live.session.canceled`.
   */
  async cancel(ctx: CoursesContext, id: string, reason: string | null | undefined): Promise<LiveSession> {
    const viewer = viewerOf(ctx);
    const { session, course } = await this.managed(ctx, viewer, id);
    if (session.status === LiveSessionStatus.CANCELED) return session;
    if (session.status === LiveSessionStatus.LIVE) throw conflict('The session is live: end it instead');
    if (session.status === LiveSessionStatus.ENDED) throw conflict('The session has ended');
    const why = optionalText(reason, 'reason', 500) ?? undefined;
    const canceledAt = new Date();
    await ctx.em.transactional(async (tx) => {
      const canceled = await tx.nativeUpdate(
        LiveSession,
        { id, status: LiveSessionStatus.SCHEDULED },
        { status: LiveSessionStatus.CANCELED, canceledAt, cancelReason: why ?? null },
      );
      if (canceled !== 1) throw conflict('The session has started meanwhile: end it instead');
      recordEvent(
        tx,
        domainEvent('live.session.canceled', viewer.schoolId, {
          sessionId: id,
          courseId: course.id,
          title: session.title,
          startsAt: session.startsAt.toISOString(),
          ...(why ? { reason: why } : {}),
          canceledAt: canceledAt.toISOString(),
        }),
      );
    });
    await ctx.em.refresh(session);
    return session;
  }

  /** SCHEDULED → LIVE; starting a live session again changes nothing. */
  async start(ctx: CoursesContext, id: string): Promise<LiveSession> {
    const viewer = viewerOf(ctx);
    const { session, course } = await this.managed(ctx, viewer, id);
    if (session.status === LiveSessionStatus.ENDED) throw conflict('The session has ended');
    if (session.status === LiveSessionStatus.CANCELED) throw conflict('The session was canceled');
    if (session.status === LiveSessionStatus.LIVE) return session;
    if (course.status === CourseStatus.ARCHIVED) throw conflict('The course is archived');
    const startedAt = new Date();
    const started = await ctx.em.transactional(async (tx) => {
      // The conditional update decides between two racing starts; only the winner records the event.
      const claimed = await tx.nativeUpdate(
        LiveSession,
        { id, status: LiveSessionStatus.SCHEDULED },
        { status: LiveSessionStatus.LIVE, startedAt },
      );
      if (claimed === 1)
        recordEvent(
          tx,
          domainEvent('live.session.started', viewer.schoolId, { sessionId: id, courseId: course.id, startedAt: startedAt.toISOString() }),
        );
      return claimed === 1;
    });
    await ctx.em.refresh(session);
    if (started) await this.announce(ctx, session, { kind: LiveSessionEventKind.SESSION_STARTED, actorId: viewer.id });
    return session;
  }

  /**
   * LIVE → ENDED: closes every stay, marks enrolled students who never came ABSENT, closes open
   * polls, and records the final attendance (`live.attendance`, one event per student).
   */
  async end(ctx: CoursesContext, id: string): Promise<LiveSession> {
    const viewer = viewerOf(ctx);
    const { session, course } = await this.managed(ctx, viewer, id);
    if (session.status === LiveSessionStatus.ENDED) return session;
    if (session.status === LiveSessionStatus.CANCELED) throw conflict('The session was canceled');
    if (session.status === LiveSessionStatus.SCHEDULED) throw conflict('The session has not started');
    const endedAt = new Date();
    const closedPolls = await ctx.em.transactional(async (tx) => {
      const claimed = await tx.nativeUpdate(
        LiveSession,
        { id, status: LiveSessionStatus.LIVE },
        { status: LiveSessionStatus.ENDED, endedAt, endsAt: endedAt },
      );
      if (claimed !== 1) return null;
      const records = await tx.find(Attendance, { session: id });
      for (const record of records.filter((r) => r.joinedAt)) {
        record.totalSeconds += staySeconds(record.joinedAt!, endedAt);
        record.joinedAt = undefined;
      }
      const recorded = new Set(records.map((r) => r.studentId));
      const enrolled = await tx.find(Enrollment, { course: course.id, status: { $ne: EnrollmentStatus.DROPPED } });
      for (const { studentId } of enrolled.filter((e) => !recorded.has(e.studentId))) {
        records.push(
          tx.create(Attendance, {
            schoolId: viewer.schoolId,
            session: tx.getReference(LiveSession, id),
            studentId,
            status: AttendanceStatus.ABSENT,
          }),
        );
      }
      const polls = await tx.find(Poll, { session: id, closedAt: null });
      polls.forEach((p) => (p.closedAt = endedAt));
      recordEvent(
        tx,
        domainEvent('live.session.ended', viewer.schoolId, { sessionId: id, courseId: course.id, endedAt: endedAt.toISOString() }),
      );
      for (const record of records) recordEvent(tx, attendanceEvent(record, course.id));
      return polls;
    });
    await ctx.em.refresh(session);
    if (closedPolls) {
      await this.presence
        .clear(roomOf(session.schoolId, session.id))
        .catch((err: unknown) => this.logger.warn({ err, sessionId: id }, 'could not clear presence'));
      const counts = await Promise.all(closedPolls.map((poll) => countVotes(ctx, poll)));
      for (const [i, poll] of closedPolls.entries())
        await this.announce(ctx, session, { kind: LiveSessionEventKind.POLL_ENDED, poll: pollSnapshot(poll, counts[i]) });
      await this.announce(ctx, session, { kind: LiveSessionEventKind.SESSION_ENDED, actorId: viewer.id });
    }
    return session;
  }

  /**
   * Enters the room of a LIVE session. For an enrolled student this starts a stay and, the first
   * time, decides PRESENT or LATE (attendance.rules.ts); the teacher and admins are only present.
   */
  async join(ctx: CoursesContext, id: string): Promise<LiveSession> {
    const viewer = viewerOf(ctx);
    const { session, course } = await liveSessionPolicy.participating(ctx, viewer, id);
    if (session.status !== LiveSessionStatus.LIVE) {
      if (session.status === LiveSessionStatus.CANCELED) throw conflict('The session was canceled');
      throw conflict(session.status === LiveSessionStatus.SCHEDULED ? 'The session has not started yet' : 'The session has ended');
    }
    if (!coursePolicy.canManage(viewer, course)) {
      const now = new Date();
      try {
        await ctx.em.transactional(async (tx) => {
          const record = await tx.findOne(Attendance, { session: id, studentId: viewer.id });
          if (!record) {
            const status = firstJoinStatus(session, now, this.settings.lateAfterSeconds);
            tx.create(Attendance, {
              schoolId: viewer.schoolId,
              session: tx.getReference(LiveSession, id),
              studentId: viewer.id,
              status,
              firstJoinedAt: now,
              joinedAt: now,
            });
            return;
          }
          record.firstJoinedAt ??= now;
          record.joinedAt ??= now;
        });
      } catch (err) {
        // Two joins at once: the other one created the record, which is all this one wanted.
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
      }
    }
    if (await this.presence.enter(roomOf(session.schoolId, id), viewer.id)) {
      await this.announce(ctx, session, { kind: LiveSessionEventKind.PARTICIPANT_JOINED, actorId: viewer.id });
    }
    return session;
  }

  /** Leaves the room: closes the student's current stay. Leaving when not in the room changes nothing. */
  async leave(ctx: CoursesContext, id: string): Promise<LiveSession> {
    const viewer = viewerOf(ctx);
    const { session } = await liveSessionPolicy.participating(ctx, viewer, id);
    const now = new Date();
    await ctx.em.transactional(async (tx) => {
      const record = await tx.findOne(Attendance, { session: id, studentId: viewer.id, joinedAt: { $ne: null } });
      if (!record) return;
      record.totalSeconds += staySeconds(record.joinedAt!, now);
      record.joinedAt = undefined;
    });
    if (await this.presence.leave(roomOf(session.schoolId, id), viewer.id)) {
      await this.announce(ctx, session, { kind: LiveSessionEventKind.PARTICIPANT_LEFT, actorId: viewer.id });
    }
    return session;
  }

  /**
   * The teacher or an admin excuses an enrolled student; after the session this amends the record.
   * BAD_USER_INPUT when `studentId` names no student of the school, NOT_FOUND when one not enrolled.
   */
  async excuse(ctx: CoursesContext, sessionId: string, studentId: string): Promise<Attendance> {
    const viewer = viewerOf(ctx);
    const { session, course } = await this.managed(ctx, viewer, sessionId);
    await requirePerson(ctx, studentId, 'studentId', Roles.STUDENT);
    if (!(await coursePolicy.activeEnrollment(ctx, course.id, studentId))) throw notFound('Enrollment');
    try {
      return await ctx.em.transactional(async (tx) => {
        const record =
          (await tx.findOne(Attendance, { session: sessionId, studentId })) ??
          tx.create(Attendance, {
            schoolId: viewer.schoolId,
            session: tx.getReference(LiveSession, sessionId),
            studentId,
            status: AttendanceStatus.EXCUSED,
          });
        record.status = AttendanceStatus.EXCUSED;
        if (session.status === LiveSessionStatus.ENDED) recordEvent(tx, attendanceEvent(record, course.id));
        return record;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict('The attendance changed at the same moment; try again');
      throw err;
    }
  }

  private async managed(ctx: CoursesContext, viewer: Viewer, id: string) {
    const found = await liveSessionPolicy.visible(ctx, viewer, id);
    if (!coursePolicy.canManage(viewer, found.course)) throw forbidden("Only the course's teacher and school admins can run its sessions");
    return found;
  }

  private async announce(ctx: CoursesContext, session: LiveSession, event: SessionEvent) {
    await this.live.announce(session, event, this.logger, ctx.requestId);
  }
}

function attendanceEvent(record: Attendance, courseId: string) {
  return domainEvent('live.attendance', record.schoolId, {
    sessionId: record.session.id,
    courseId,
    studentId: record.studentId,
    status: record.status,
    totalSeconds: record.totalSeconds,
    ...(record.firstJoinedAt ? { firstJoinedAt: record.firstJoinedAt.toISOString() } : {}),
  });
}
