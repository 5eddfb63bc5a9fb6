import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from 'type-graphql';
import { forbidden } from '../../../platform/errors';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { UserRef, userRef } from '../references';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { totalPoints } from './grading';
import { Question, QuestionKind } from './question.entity';
import { QuizAnswer } from './quiz-answer.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';
import { AnswerInput, CreateQuizInput } from './quiz.input';
import { isOpen, quizPolicy } from './quiz.policy';
import type { QuizService } from './quiz.service';

export enum QuizAttemptStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  SUBMITTED = 'SUBMITTED',
  /** The deadline passed without a submission; it still counts as an attempt. */
  EXPIRED = 'EXPIRED',
}
registerEnumType(QuizAttemptStatus, { name: 'QuizAttemptStatus' });

@ObjectType({ description: "A question's right answer, in the fields its kind uses." })
export class QuestionSolution {
  @Field(() => [Int], { nullable: true })
  choices?: number[] | null;

  @Field(() => Boolean, { nullable: true })
  booleanValue?: boolean | null;

  @Field(() => Float, { nullable: true })
  numericValue?: number | null;

  @Field(() => Float, { nullable: true })
  tolerance?: number | null;

  @Field(() => [String], { nullable: true })
  acceptedAnswers?: string[] | null;
}

const solutionOf = (q: Question): QuestionSolution => {
  switch (q.kind) {
    case QuestionKind.SINGLE_CHOICE:
    case QuestionKind.MULTIPLE_CHOICE:
      return { choices: q.correctChoices };
    case QuestionKind.TRUE_FALSE:
      return { booleanValue: q.correctBoolean };
    case QuestionKind.NUMERIC:
      return { numericValue: q.correctNumber, tolerance: q.tolerance };
    case QuestionKind.SHORT_ANSWER:
      return { acceptedAnswers: q.acceptedAnswers };
  }
};

/** The course a quiz belongs to (loaded through the request's loaders). */
async function courseOfQuiz(ctx: CoursesContext, quizId: string): Promise<{ quiz: Quiz; course: Course } | null> {
  const quiz = await ctx.loaders.quiz.load(quizId);
  const course = quiz && (await ctx.loaders.course.load(quiz.course.id));
  return quiz && course ? { quiz, course } : null;
}

@Resolver(() => Quiz)
export class QuizResolver {
  constructor(private readonly quizzes: QuizService) {}

  @Authorized()
  @Query(() => Quiz, { nullable: true, description: 'A quiz of a course the caller may see; null otherwise.' })
  async quiz(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<Quiz | null> {
    const quiz = await ctx.loaders.quiz.load(id);
    return (await coursePolicy.viewableCourseOf(ctx, viewerOf(ctx), quiz)) ? quiz : null;
  }

  @Authorized()
  @Query(() => QuizAttempt, {
    nullable: true,
    description: "An attempt: the student's own, their guardians', and the course's teacher and admins.",
  })
  async quizAttempt(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<QuizAttempt | null> {
    const attempt = await ctx.loaders.attempt.load(id);
    const found = attempt && (await courseOfQuiz(ctx, attempt.quiz.id));
    return found && (await quizPolicy.canSeeAttempt(ctx, viewerOf(ctx), attempt, found.course)) ? attempt : null;
  }

  @Authorized()
  @Mutation(() => Quiz, { description: "The course's teacher or a school admin; questions come with their solutions." })
  createQuiz(@Arg('courseId', () => ID) courseId: string, @Arg('input') input: CreateQuizInput, @Ctx() ctx: CoursesContext): Promise<Quiz> {
    return this.quizzes.create(ctx, courseId, input);
  }

  @Authorized()
  @Mutation(() => QuizAttempt, {
    description:
      'An enrolled student starts an attempt, or gets back the one still running. ATTEMPT_LIMIT_REACHED once maxAttempts are used.',
  })
  startQuizAttempt(@Arg('quizId', () => ID) quizId: string, @Ctx() ctx: CoursesContext): Promise<QuizAttempt> {
    return this.quizzes.start(ctx, quizId);
  }

  @Authorized()
  @Mutation(() => QuizAttempt, {
    description: 'Submits and grades the attempt. DEADLINE_PASSED after its deadline; CONFLICT when already submitted.',
  })
  submitQuizAttempt(
    @Arg('attemptId', () => ID) attemptId: string,
    @Arg('answers', () => [AnswerInput]) answers: AnswerInput[],
    @Ctx() ctx: CoursesContext,
  ): Promise<QuizAttempt> {
    return this.quizzes.submit(ctx, attemptId, answers);
  }

  @FieldResolver(() => Course)
  async course(@Root() quiz: Quiz, @Ctx() ctx: CoursesContext): Promise<Course> {
    return (await ctx.loaders.course.load(quiz.course.id))!;
  }

  @FieldResolver(() => [Question], { description: 'For enrolled students, the teacher and admins. Solutions only through `solution`.' })
  async questions(@Root() quiz: Quiz, @Ctx() ctx: CoursesContext): Promise<Question[]> {
    const course = (await ctx.loaders.course.load(quiz.course.id))!;
    if (!(await coursePolicy.canStudy(ctx, viewerOf(ctx), course)))
      throw forbidden("Only the course's students, teacher and admins can see its questions");
    return ctx.loaders.questionsByQuiz.load(quiz.id);
  }

  @FieldResolver(() => Float, { description: "The sum of the questions' points." })
  async totalPoints(@Root() quiz: Quiz, @Ctx() ctx: CoursesContext): Promise<number> {
    return totalPoints(await ctx.loaders.questionsByQuiz.load(quiz.id));
  }

  @FieldResolver(() => [QuizAttempt], {
    description:
      "Attempts the caller may see: the teacher and admins every student's (or studentId's), students their own, parents their children's.",
  })
  async attempts(
    @Root() quiz: Quiz,
    @Arg('studentId', () => ID, { nullable: true }) studentId: string | undefined,
    @Ctx() ctx: CoursesContext,
  ): Promise<QuizAttempt[]> {
    const viewer = viewerOf(ctx);
    const course = (await ctx.loaders.course.load(quiz.course.id))!;
    const all = await ctx.loaders.attemptsByQuiz.load(quiz.id);
    const visible = coursePolicy.canManage(viewer, course) ? null : new Set(await coursePolicy.followedStudentIds(ctx, viewer));
    return all.filter((a) => (!studentId || a.studentId === studentId) && (!visible || visible.has(a.studentId)));
  }
}

@Resolver(() => Question)
export class QuestionResolver {
  @FieldResolver(() => QuestionSolution, { nullable: true, description: "The course's teacher and school admins only." })
  async solution(@Root() question: Question, @Ctx() ctx: CoursesContext): Promise<QuestionSolution | null> {
    const viewer = optionalViewer(ctx);
    const found = viewer && (await courseOfQuiz(ctx, question.quiz.id));
    return found && quizPolicy.canSeeSolutions(viewer!, found.course) ? solutionOf(question) : null;
  }
}

@Resolver(() => QuizAttempt)
export class QuizAttemptResolver {
  @FieldResolver(() => Quiz)
  async quiz(@Root() attempt: QuizAttempt, @Ctx() ctx: CoursesContext): Promise<Quiz> {
    return (await ctx.loaders.quiz.load(attempt.quiz.id))!;
  }

  @FieldResolver(() => UserRef)
  student(@Root() attempt: QuizAttempt): UserRef {
    return userRef(attempt.studentId);
  }

  @FieldResolver(() => QuizAttemptStatus)
  status(@Root() attempt: QuizAttempt): QuizAttemptStatus {
    if (attempt.submittedAt) return QuizAttemptStatus.SUBMITTED;
    return isOpen(attempt) ? QuizAttemptStatus.IN_PROGRESS : QuizAttemptStatus.EXPIRED;
  }

  @FieldResolver(() => [QuizAnswer], {
    description: 'What was answered, once submitted; correctness and solutions follow the reveal rule (quiz.policy.ts).',
  })
  async answers(@Root() attempt: QuizAttempt, @Ctx() ctx: CoursesContext): Promise<QuizAnswer[]> {
    const found = await courseOfQuiz(ctx, attempt.quiz.id);
    if (!found || !(await quizPolicy.canSeeAttempt(ctx, viewerOf(ctx), attempt, found.course))) return [];
    return ctx.loaders.answersByAttempt.load(attempt.id);
  }
}

@Resolver(() => QuizAnswer)
export class QuizAnswerResolver {
  @FieldResolver(() => Question)
  async question(@Root() answer: QuizAnswer, @Ctx() ctx: CoursesContext): Promise<Question> {
    return (await ctx.loaders.question.load(answer.question.id))!;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Null while results are not revealed.' })
  async correct(@Root() answer: QuizAnswer, @Ctx() ctx: CoursesContext): Promise<boolean | null> {
    return (await revealed(ctx, answer)) ? answer.correct : null;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Null while results are not revealed.' })
  async pointsAwarded(@Root() answer: QuizAnswer, @Ctx() ctx: CoursesContext): Promise<number | null> {
    return (await revealed(ctx, answer)) ? answer.pointsAwarded : null;
  }

  @FieldResolver(() => QuestionSolution, { nullable: true, description: 'Null while results are not revealed.' })
  async solution(@Root() answer: QuizAnswer, @Ctx() ctx: CoursesContext): Promise<QuestionSolution | null> {
    if (!(await revealed(ctx, answer))) return null;
    return solutionOf((await ctx.loaders.question.load(answer.question.id))!);
  }
}

async function revealed(ctx: CoursesContext, answer: QuizAnswer): Promise<boolean> {
  const viewer = optionalViewer(ctx);
  const attempt = viewer && (await ctx.loaders.attempt.load(answer.attempt.id));
  const found = attempt && (await courseOfQuiz(ctx, attempt.quiz.id));
  return !!found && (await quizPolicy.resultsRevealed(ctx, viewer!, attempt!, found.course));
}
