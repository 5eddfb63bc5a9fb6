import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Mutation, Resolver, Root } from 'type-graphql';
import { pairKey } from '../../../platform/graphql/loaders';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { Lesson } from '../lesson/lesson.entity';
import { Attendance } from '../live-session/attendance.entity';
import { QuizAttempt } from '../quiz/quiz-attempt.entity';
import { UserRef, userRef } from '../user/user.type';
import { Enrollment } from './enrollment.entity';
import type { EnrollmentService } from './enrollment.service';

/**
 * An enrollment is reached only through fields that already checked who may see it (Course.enrollments,
 * User.enrollments, completeLesson…), so its own fields need no further check.
 */
@Resolver(() => Enrollment)
export class EnrollmentResolver {
  constructor(private readonly enrollments: EnrollmentService) {}

  @Authorized()
  @Mutation(() => Enrollment, { description: "A school admin or the course's teacher enrolls a student. CONFLICT when already enrolled." })
  enroll(
    @Arg('courseId', () => ID) courseId: string,
    @Arg('studentId', () => ID) studentId: string,
    @Ctx() ctx: CoursesContext,
  ): Promise<Enrollment> {
    return this.enrollments.enroll(ctx, courseId, studentId);
  }

  @Authorized()
  @Mutation(() => Enrollment, { description: "A school admin or the course's teacher takes a student out of a course; progress is kept." })
  dropEnrollment(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<Enrollment> {
    return this.enrollments.drop(ctx, id);
  }

  @FieldResolver(() => Course)
  async course(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<Course> {
    return (await ctx.loaders.course.load(enrollment.course.id))!;
  }

  @FieldResolver(() => UserRef)
  student(@Root() enrollment: Enrollment): UserRef {
    return userRef(enrollment.studentId);
  }

  @FieldResolver(() => Float, { description: 'Completed lessons over all lessons of the course, 0 to 1 (0 without lessons).' })
  async progress(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<number> {
    const [lessons, done] = await Promise.all([ctx.loaders.lessonsByCourse.load(enrollment.course.id), this.completed(enrollment, ctx)]);
    return lessons.length ? done.length / lessons.length : 0;
  }

  @FieldResolver(() => [Lesson], { name: 'completedLessons', description: 'In course order.' })
  async completed(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<Lesson[]> {
    const [lessons, completions] = await Promise.all([
      ctx.loaders.lessonsByCourse.load(enrollment.course.id),
      ctx.loaders.completionsByEnrollment.load(enrollment.id),
    ]);
    const done = new Set(completions.map((c) => c.lesson.id));
    return lessons.filter((l) => done.has(l.id));
  }

  @FieldResolver(() => [QuizAttempt], { description: "The student's attempts at the course's quizzes." })
  async quizAttempts(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<QuizAttempt[]> {
    const quizzes = await ctx.loaders.quizzesByCourse.load(enrollment.course.id);
    const attempts = await ctx.loaders.attemptsOf.loadMany(quizzes.map((q) => pairKey(q.id, enrollment.studentId)));
    return attempts.flatMap((a) => (Array.isArray(a) ? a : []));
  }

  @FieldResolver(() => [Attendance], { description: "The student's attendance of the course's live sessions." })
  async attendance(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<Attendance[]> {
    const sessions = await ctx.loaders.liveSessionsByCourse.load(enrollment.course.id);
    const lists = await ctx.loaders.attendanceBySession.loadMany(sessions.map((s) => s.id));
    return lists.flatMap((l) => (Array.isArray(l) ? l.filter((a) => a.studentId === enrollment.studentId) : []));
  }
}
