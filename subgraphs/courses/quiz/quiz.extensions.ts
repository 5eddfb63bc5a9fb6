import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { pairKey } from '../../../platform/graphql/loaders';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { Enrollment } from '../enrollment/enrollment.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';

/** The fields quizzes add to their parents: a course's quizzes, an enrollment's attempts. */
@Resolver(() => Course)
export class CourseQuizzesResolver {
  @FieldResolver(() => [Quiz])
  quizzes(@Root() course: Course, @Ctx() ctx: CoursesContext): Promise<Quiz[]> {
    return ctx.loaders.quizzesByCourse.load(course.id);
  }
}

@Resolver(() => Enrollment)
export class EnrollmentAttemptsResolver {
  @FieldResolver(() => [QuizAttempt], { description: "The student's attempts at the course's quizzes." })
  async quizAttempts(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<QuizAttempt[]> {
    const quizzes = await ctx.loaders.quizzesByCourse.load(enrollment.course.id);
    const attempts = await ctx.loaders.attemptsOf.loadMany(quizzes.map((q) => pairKey(q.id, enrollment.studentId)));
    return attempts.flatMap((a) => (Array.isArray(a) ? a : []));
  }
}
