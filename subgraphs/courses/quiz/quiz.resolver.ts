import {
  Arg,
  Args,
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
import type { FilterQuery } from '@mikro-orm/core';
import { forbidden } from '../../../platform/errors';
import { ConnectionType, PageArgs } from '../../../platform/graphql/connection';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { paginateBy } from '../course/keyset-page';
import { UserRef, userRef } from '../references';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { totalPoints } from './grading';
import { Question, QuestionKind } from './question.entity';
import { QuizAnswer } from './quiz-answer.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';
import { settleExpired } from './attempt-grading';
import { AnswerInput, CreateQuizInput, UpdateQuizInput } from './quiz.input';
import { isOpen, quizPolicy } from './quiz.policy';
import type { QuizService } from './quiz.service';

export enum QuizAttemptStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  SUBMITTED = 'SUBMITTED',
  /** The deadline passed without a submission: graded on the answers saved by then; it counts as an attempt. */
  EXPIRED = 'EXPIRED',
}
registerEnumType(QuizAttemptStatus, {
  name: 'QuizAttemptStatus',
  valuesConfig: {
    SUBMITTED: { description: 'Submitted and graded.' },
    EXPIRED: {
      description: 'Ran out of time without a submission: graded on the answers saved by then (timedOut). It counts as an attempt.',
    },
  },
});

export const QuizAttemptConnection = ConnectionType(QuizAttempt);

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

/**
 * The course a quiz belongs to (loaded through the request's loaders). A deleted quiz is found
 * only with `includeDeleted`, for what refers to it (attempts, answers, questions in history).
 */
async function courseOfQuiz(ctx: CoursesContext, quizId: string, includeDeleted = false): Promise<{ quiz: Quiz; course: Course } | null> {
  const quiz = await (includeDeleted ? ctx.loaders.quizIncludingDeleted : ctx.loaders.quiz).load(quizId);
  const course = quiz && (await ctx.loaders.course.load(quiz.course.id));
  return quiz && course ? { quiz, course } : null;
}

@Resolver(() => Quiz)
export class QuizResolver {
  constructor(private readonly quizzes: QuizService) {}

  @Authorized()
  @Query(() => Quiz, { nullable: true, description: 'A quiz of a course the caller may see; null otherwise (and once deleted).' })
  async quiz(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<Quiz | null> {
    const quiz = await ctx.loaders.quiz.load(id);
    return (await coursePolicy.viewableCourseOf(ctx, viewerOf(ctx), quiz)) ? quiz : null;
  }

  @Authorized()
  @Query(() => QuizAttempt, {
    nullable: true,
    description:
      "An attempt: the student's own, their guardians', and the course's teacher and admins; null once its quiz is deleted (see Enrollment.quizAttempts(includeDeleted)).",
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
  @Mutation(() => Quiz, {
    description:
      "The course's teacher or a school admin. Settings apply to attempts started from now on; the questions only change while nobody has started the quiz (CONFLICT).",
  })
  updateQuiz(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateQuizInput, @Ctx() ctx: CoursesContext): Promise<Quiz> {
    return this.quizzes.update(ctx, id, input);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: "The course's teacher or a school admin. Soft delete: the quiz leaves every view; its attempts stay in history.",
  })
  deleteQuiz(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<boolean> {
    return this.quizzes.delete(ctx, id);
  }

  @Authorized()
  @Mutation(() => QuizAttempt, {
    description:
      'An enrolled student starts an attempt, or gets back the one still running. ATTEMPT_LIMIT_REACHED once maxAttempts are used; DEADLINE_PASSED after the due date.',
  })
  startQuizAttempt(@Arg('quizId', () => ID) quizId: string, @Ctx() ctx: CoursesContext): Promise<QuizAttempt> {
    return this.quizzes.start(ctx, quizId);
  }

  @Authorized()
  @Mutation(() => QuizAttempt, {
    description:
      'Saves (or replaces) one answer of a running attempt; graded when the attempt closes, also when it runs out of time. CONFLICT once submitted; DEADLINE_PASSED after its deadline.',
  })
  saveQuizAnswer(
    @Arg('attemptId', () => ID) attemptId: string,
    @Arg('answer', () => AnswerInput) answer: AnswerInput,
    @Ctx() ctx: CoursesContext,
  ): Promise<QuizAttempt> {
    return this.quizzes.saveAnswer(ctx, attemptId, answer);
  }

  @Authorized()
  @Mutation(() => QuizAttempt, {
    description:
      'Submits and grades the attempt: its saved answers, replaced by those given here. DEADLINE_PASSED after its deadline (it is graded on its saved answers instead); CONFLICT when already submitted.',
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

  @FieldResolver(() => Boolean, {
    description: 'Whether the caller sees the solutions now (the teacher and admins always; a student as solutionsVisibility allows).',
  })
  async solutionsRevealed(@Root() quiz: Quiz, @Ctx() ctx: CoursesContext): Promise<boolean> {
    const viewer = optionalViewer(ctx);
    const course = viewer && (await ctx.loaders.course.load(quiz.course.id));
    return !!course && (await quizPolicy.solutionsShownTo(ctx, viewer!, quiz, course));
  }

  @FieldResolver(() => [QuizAttempt], {
    description:
      "Attempts the caller may see, all at once (attemptPage pages them): the teacher and admins every student's (or studentId's), students their own, parents their children's.",
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

  @FieldResolver(() => QuizAttemptConnection, {
    description:
      "The attempts the caller may see (as `attempts`), a page at a time in the order they were started; studentId narrows them to one student's.",
  })
  async attemptPage(
    @Root() quiz: Quiz,
    @Args() page: PageArgs,
    @Arg('studentId', () => ID, { nullable: true }) studentId: string | undefined,
    @Ctx() ctx: CoursesContext,
  ) {
    const viewer = viewerOf(ctx);
    const course = (await ctx.loaders.course.load(quiz.course.id))!;
    const scope = coursePolicy.canManage(viewer, course) ? {} : { studentId: { $in: await coursePolicy.followedStudentIds(ctx, viewer) } };
    const where = { $and: [{ quiz: quiz.id }, scope, studentId ? { studentId } : {}] } as FilterQuery<QuizAttempt>;
    const connection = await paginateBy(ctx.em, QuizAttempt, where, page, 'startedAt');
    await settleExpired(
      ctx.em,
      connection.edges.map((e) => e.node),
    );
    return connection;
  }
}

@Resolver(() => Question)
export class QuestionResolver {
  @FieldResolver(() => QuestionSolution, {
    nullable: true,
    description: "The course's teacher and school admins; a student once the quiz's solutionsVisibility allows.",
  })
  async solution(@Root() question: Question, @Ctx() ctx: CoursesContext): Promise<QuestionSolution | null> {
    const viewer = optionalViewer(ctx);
    const found = viewer && (await courseOfQuiz(ctx, question.quiz.id, true));
    return found && (await quizPolicy.solutionsShownTo(ctx, viewer!, found.quiz, found.course)) ? solutionOf(question) : null;
  }
}

@Resolver(() => QuizAttempt)
export class QuizAttemptResolver {
  @FieldResolver(() => Quiz, { description: 'Also once deleted (see Quiz.deletedAt): the attempt is history.' })
  async quiz(@Root() attempt: QuizAttempt, @Ctx() ctx: CoursesContext): Promise<Quiz> {
    return (await ctx.loaders.quizIncludingDeleted.load(attempt.quiz.id))!;
  }

  @FieldResolver(() => UserRef)
  student(@Root() attempt: QuizAttempt): UserRef {
    return userRef(attempt.studentId);
  }

  @FieldResolver(() => QuizAttemptStatus)
  status(@Root() attempt: QuizAttempt): QuizAttemptStatus {
    if (attempt.submittedAt) return attempt.timedOut ? QuizAttemptStatus.EXPIRED : QuizAttemptStatus.SUBMITTED;
    return isOpen(attempt) ? QuizAttemptStatus.IN_PROGRESS : QuizAttemptStatus.EXPIRED;
  }

  @FieldResolver(() => [QuizAnswer], {
    description:
      'What was answered: the saved answers while it runs, the graded ones once it closed; correctness and solutions follow solutionsVisibility (quiz.policy.ts).',
  })
  async answers(@Root() attempt: QuizAttempt, @Ctx() ctx: CoursesContext): Promise<QuizAnswer[]> {
    const found = await courseOfQuiz(ctx, attempt.quiz.id, true);
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

  @FieldResolver(() => Boolean, { nullable: true, description: 'Null until graded and while results are not revealed.' })
  async correct(@Root() answer: QuizAnswer, @Ctx() ctx: CoursesContext): Promise<boolean | null> {
    return (await revealed(ctx, answer)) ? (answer.correct ?? null) : null;
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Null until graded and while results are not revealed.' })
  async pointsAwarded(@Root() answer: QuizAnswer, @Ctx() ctx: CoursesContext): Promise<number | null> {
    return (await revealed(ctx, answer)) ? (answer.pointsAwarded ?? null) : null;
  }

  @FieldResolver(() => QuestionSolution, { nullable: true, description: 'Null until graded and while results are not revealed.' })
  async solution(@Root() answer: QuizAnswer, @Ctx() ctx: CoursesContext): Promise<QuestionSolution | null> {
    if (!(await revealed(ctx, answer))) return null;
    return solutionOf((await ctx.loaders.question.load(answer.question.id))!);
  }
}

/** A graded answer's results are shown to the viewer (its attempt is graded, and solutionsVisibility allows). */
async function revealed(ctx: CoursesContext, answer: QuizAnswer): Promise<boolean> {
  const viewer = optionalViewer(ctx);
  const attempt = viewer && (await ctx.loaders.attempt.load(answer.attempt.id));
  const found = attempt && (await courseOfQuiz(ctx, attempt.quiz.id, true));
  return !!found && !!attempt!.submittedAt && (await quizPolicy.resultsRevealed(ctx, viewer!, attempt!, found.quiz, found.course));
}
