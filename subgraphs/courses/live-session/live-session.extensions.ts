import { Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { cacheHint } from '../../../platform/graphql/cache-control';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { Enrollment } from '../enrollment/enrollment.entity';
import { Attendance } from './attendance.entity';
import { LiveSession, LiveSessionStatus } from './live-session.entity';

/** The fields live sessions add to their parents: a course's sessions, an enrollment's attendance. */
@Resolver(() => Course)
export class CourseLiveSessionsResolver {
  @Directive(cacheHint(60, 'PRIVATE'))
  @FieldResolver(() => [LiveSession], {
    description: 'By start time. upcoming: true = scheduled or live, false = ended or canceled; omitted = all.',
  })
  async liveSessions(
    @Root() course: Course,
    @Arg('upcoming', () => Boolean, { nullable: true }) upcoming: boolean | undefined,
    @Ctx() ctx: CoursesContext,
  ): Promise<LiveSession[]> {
    const sessions = await ctx.loaders.liveSessionsByCourse.load(course.id);
    if (upcoming === undefined || upcoming === null) return sessions;
    const ahead = (s: LiveSession) => s.status === LiveSessionStatus.SCHEDULED || s.status === LiveSessionStatus.LIVE;
    return sessions.filter((s) => ahead(s) === upcoming);
  }
}

@Resolver(() => Enrollment)
export class EnrollmentAttendanceResolver {
  @FieldResolver(() => [Attendance], { description: "The student's attendance of the course's live sessions." })
  async attendance(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<Attendance[]> {
    const sessions = await ctx.loaders.liveSessionsByCourse.load(enrollment.course.id);
    const lists = await ctx.loaders.attendanceBySession.loadMany(sessions.map((s) => s.id));
    return lists.flatMap((l) => (Array.isArray(l) ? l.filter((a) => a.studentId === enrollment.studentId) : []));
  }
}
