import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import { ConnectionType, PageArgs, paginate } from '../../../platform/graphql/connection';
import { pairKey } from '../../../platform/graphql/loaders';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { Enrollment } from '../enrollment/enrollment.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';

export const QuizConnection = ConnectionType(Quiz);

/** The fields quizzes add to their parents: a course's quizzes, an enrollment's attempts. */
@Resolver(() => Course)
export class CourseQuizzesResolver {
  @FieldResolver(() => [Quiz], { description: 'All at once, oldest first (quizPage pages them); deleted quizzes never.' })
  quizzes(@Root() course: Course, @Ctx() ctx: CoursesContext): Promise<Quiz[]> {
    return ctx.loaders.quizzesByCourse.load(course.id);
  }

  @FieldResolver(() => QuizConnection, { description: "The course's quizzes a page at a time, oldest first; deleted quizzes never." })
  quizPage(@Root() course: Course, @Args() page: PageArgs, @Ctx() ctx: CoursesContext) {
    return paginate(ctx.em, Quiz, { course: course.id }, page);
  }
}

@Resolver(() => Enrollment)
export class EnrollmentAttemptsResolver {
  @FieldResolver(() => [QuizAttempt], {
    description:
      "The student's attempts at the course's quizzes. includeDeleted (the course's teacher and admins): also those at deleted quizzes, which are kept as history.",
  })
  async quizAttempts(
    @Root() enrollment: Enrollment,
    @Arg('includeDeleted', () => Boolean, { defaultValue: false }) includeDeleted: boolean,
    @Ctx() ctx: CoursesContext,
  ): Promise<QuizAttempt[]> {
    if (includeDeleted) await coursePolicy.requireDeletedViewer(ctx, viewerOf(ctx), enrollment.course.id);
    const loader = includeDeleted ? ctx.loaders.quizzesByCourseIncludingDeleted : ctx.loaders.quizzesByCourse;
    const quizzes = await loader.load(enrollment.course.id);
    const attempts = await ctx.loaders.attemptsOf.loadMany(quizzes.map((q) => pairKey(q.id, enrollment.studentId)));
    return attempts.flatMap((a) => (Array.isArray(a) ? a : []));
  }
}
