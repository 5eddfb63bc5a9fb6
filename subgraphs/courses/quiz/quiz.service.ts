import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { domainEvent } from '../../../platform/events/domain-events';
import { appError, badInput, conflict, ErrorCode, forbidden, notFound } from '../../../platform/errors';
import { pairKey } from '../../../platform/graphql/loaders';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { CoursesContext } from '../context';
import { Course, CourseStatus } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { includingDeleted } from '../course/soft-delete';
import { text } from '../../../platform/graphql/validation';
import { requireStudent, viewerOf, type Viewer } from '../../../platform/auth/viewer';
import { assignAnswer, closeAttempt } from './attempt-grading';
import { checkAnswer, checkQuestion, totalPoints, type GivenAnswer } from './grading';
import { Question } from './question.entity';
import { QuizAnswer } from './quiz-answer.entity';
import { duePassed, isOpen } from './quiz.policy';
import { QuizAttempt } from './quiz-attempt.entity';
import type { AnswerInput, CreateQuizInput, QuestionInput, UpdateQuizInput } from './quiz.input';
import { Quiz, SolutionsVisibility } from './quiz.entity';

/** The refusal of anything done to an attempt after its deadline (it is graded on its saved answers by then). */
const deadlinePassed = (attempt: QuizAttempt) =>
  appError(ErrorCode.DEADLINE_PASSED, 'The time limit of this attempt has passed: it was graded on the answers saved before it', {
    deadline: attempt.deadline!.toISOString(),
  });

/**
 * Quizzes: written and corrected by a course's managers, taken by its enrolled students, graded
 * automatically.
 *
 * An attempt's answers are saved one by one while it runs (saveQuizAnswer) and graded when it
 * closes: when the student submits it (with any last answers), or when its deadline passes, on
 * what was saved by then. Nothing runs on a timer: an expired attempt is graded the first time
 * anything reads or touches it (attempt-grading.ts, through the loaders), so every view shows it
 * graded, and a late submission or save is refused with DEADLINE_PASSED after grading it.
 */
export class QuizService {
  async create(ctx: CoursesContext, courseId: string, input: CreateQuizInput): Promise<Quiz> {
    const viewer = viewerOf(ctx);
    const course = await coursePolicy.editable(ctx, viewer, courseId);
    const title = text(input.title, 'title', 200);
    const questions = checkQuestions(input.questions);
    const settings = checkSettings({
      passingScore: input.passingScore ?? undefined,
      total: totalPoints(questions),
      solutionsVisibility: input.solutionsVisibility ?? SolutionsVisibility.AFTER_LAST_ATTEMPT,
      dueAt: input.dueAt ?? undefined,
      dueAtChanged: !!input.dueAt,
    });
    return ctx.em.transactional(async (tx) => {
      const quiz = tx.create(Quiz, {
        schoolId: viewer.schoolId,
        course: tx.getReference(Course, course.id),
        title,
        maxAttempts: input.maxAttempts ?? undefined,
        timeLimitSeconds: input.timeLimitSeconds ?? undefined,
        passingScore: input.passingScore ?? undefined,
        solutionsVisibility: settings.solutionsVisibility,
        dueAt: settings.dueAt ?? null,
      });
      questions.forEach((q, i) => tx.create(Question, { schoolId: viewer.schoolId, quiz, position: i + 1, ...q }));
      return quiz;
    });
  }

  /**
   * Corrects a quiz. Title and settings change at any time and apply to attempts started from
   * then on: a running attempt keeps its deadline (unless the new due date comes first: it ends
   * there), a graded one its score and `passed`. The questions (and their solutions) change only
   * while nobody has started an attempt (CONFLICT afterwards): attempts are graded against the
   * questions they were taken on, and a quiz taken with a wrong question is replaced by a new quiz.
   */
  async update(ctx: CoursesContext, id: string, input: UpdateQuizInput): Promise<Quiz> {
    const viewer = viewerOf(ctx);
    const quiz = await this.managedQuiz(ctx, viewer, id);
    if (input.title === null) throw badInput('title cannot be cleared', 'title');
    if (input.solutionsVisibility === null) throw badInput('solutionsVisibility cannot be cleared', 'solutionsVisibility');
    if (input.questions === null) throw badInput('questions cannot be cleared', 'questions');
    const title = input.title === undefined ? quiz.title : text(input.title, 'title', 200);
    if (input.questions && (await attempted(ctx.em, quiz.id))) throw questionsFrozen();
    const questions = input.questions ? checkQuestions(input.questions) : undefined;
    const kept = <K extends 'maxAttempts' | 'timeLimitSeconds' | 'passingScore'>(key: K) =>
      input[key] === undefined ? quiz[key] : (input[key] ?? undefined);
    const passingScore = kept('passingScore');
    const settings = checkSettings({
      passingScore,
      total: totalPoints(questions ?? (await ctx.loaders.questionsByQuiz.load(quiz.id))),
      solutionsVisibility: input.solutionsVisibility ?? quiz.solutionsVisibility,
      dueAt: input.dueAt === undefined ? (quiz.dueAt ?? undefined) : (input.dueAt ?? undefined),
      dueAtChanged: !!input.dueAt,
    });
    await ctx.em.transactional(async (tx) => {
      const own = await tx.findOneOrFail(Quiz, { id: quiz.id });
      if (questions) {
        // Checked again here: an attempt may have started since.
        if (await attempted(tx, quiz.id)) throw questionsFrozen();
        await tx.nativeDelete(Question, { quiz: quiz.id }, includingDeleted());
        questions.forEach((q, i) => tx.create(Question, { schoolId: viewer.schoolId, quiz: own, position: i + 1, ...q }));
      }
      Object.assign(own, {
        title,
        maxAttempts: kept('maxAttempts'),
        timeLimitSeconds: kept('timeLimitSeconds'),
        passingScore,
        solutionsVisibility: settings.solutionsVisibility,
        dueAt: settings.dueAt ?? null,
      });
      if (settings.dueAt && input.dueAt) {
        // No attempt runs past the due date: running ones end there (and are graded on what they saved).
        await tx.nativeUpdate(
          QuizAttempt,
          { quiz: quiz.id, submittedAt: null, $or: [{ deadline: null }, { deadline: { $gt: settings.dueAt } }] },
          { deadline: settings.dueAt },
        );
      }
    });
    // Questions and deadlines may have changed under the request's loaders.
    ctx.loaders.questionsByQuiz.clear(quiz.id);
    ctx.loaders.attemptsByQuiz.clear(quiz.id);
    ctx.loaders.attemptsOf.clearAll();
    await ctx.em.refresh(quiz);
    return quiz;
  }

  /**
   * Soft delete: the quiz leaves every view (lists, loaders, `quiz(id)`, taking it); its questions,
   * attempts and answers stay stored and show in history views (`includeDeleted`). NOT_FOUND
   * when already deleted.
   */
  async delete(ctx: CoursesContext, id: string): Promise<boolean> {
    const viewer = viewerOf(ctx);
    const quiz = await this.managedQuiz(ctx, viewer, id);
    const deletedAt = new Date();
    await ctx.em.transactional(async (tx) => {
      if ((await tx.nativeUpdate(Quiz, { id: quiz.id, deletedAt: null }, { deletedAt, deletedBy: viewer.id })) !== 1)
        throw notFound('Quiz');
      recordEvent(
        tx,
        domainEvent('quiz.deleted', viewer.schoolId, {
          courseId: quiz.course.id,
          quizId: quiz.id,
          deletedBy: viewer.id,
          deletedAt: deletedAt.toISOString(),
        }),
      );
    });
    ctx.loaders.quiz.clear(quiz.id);
    return true;
  }

  /**
   * Starts an attempt for the calling student, or returns the one still running (a reconnecting
   * app resumes rather than burning an attempt). The deadline is fixed here, on the server clock:
   * the time limit from now, and never after the quiz's due date.
   */
  async start(ctx: CoursesContext, quizId: string): Promise<QuizAttempt> {
    const viewer = viewerOf(ctx);
    requireStudent(viewer);
    const quiz = await ctx.loaders.quiz.load(quizId);
    const course = await coursePolicy.viewableCourseOf(ctx, viewer, quiz);
    if (!quiz || !course) throw notFound('Quiz');
    if (!(await coursePolicy.canStudy(ctx, viewer, course))) throw forbidden('Only students enrolled in the course can take its quizzes');
    if (course.status !== CourseStatus.PUBLISHED) throw conflict('The course is archived; its quizzes are closed');
    // Grades the student's attempts that ran out of time, so that they count as closed below.
    await ctx.loaders.attemptsOf.load(pairKey(quiz.id, viewer.id));
    const questions = await ctx.loaders.questionsByQuiz.load(quiz.id);
    try {
      const attempt = await ctx.em.transactional(async (tx) => {
        const attempts = await tx.find(QuizAttempt, { quiz: quiz.id, studentId: viewer.id }, { orderBy: { number: 'asc' }, refresh: true });
        const now = new Date();
        const running = attempts.find((a) => isOpen(a, now));
        if (running) return running;
        if (duePassed(quiz, now)) {
          throw appError(ErrorCode.DEADLINE_PASSED, 'The due date of this quiz has passed', { dueAt: quiz.dueAt!.toISOString() });
        }
        if (quiz.maxAttempts != null && attempts.length >= quiz.maxAttempts) {
          throw appError(ErrorCode.ATTEMPT_LIMIT_REACHED, `All ${quiz.maxAttempts} attempts at this quiz are used`, {
            maxAttempts: quiz.maxAttempts,
          });
        }
        const limit = quiz.timeLimitSeconds ? now.getTime() + quiz.timeLimitSeconds * 1000 : Infinity;
        const end = Math.min(limit, quiz.dueAt?.getTime() ?? Infinity);
        return tx.create(QuizAttempt, {
          schoolId: viewer.schoolId,
          quiz: tx.getReference(Quiz, quiz.id),
          studentId: viewer.id,
          number: (attempts.at(-1)?.number ?? 0) + 1,
          startedAt: now,
          deadline: Number.isFinite(end) ? new Date(end) : undefined,
          maxScore: totalPoints(questions),
        });
      });
      // The lists read above lack the new attempt, and the reveal rule must see it running.
      ctx.loaders.attemptsOf.clear(pairKey(quiz.id, viewer.id));
      ctx.loaders.attemptsByQuiz.clear(quiz.id);
      return attempt;
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict('Another attempt was started at the same moment; try again');
      throw err;
    }
  }

  /**
   * Saves (or replaces) the calling student's answer to one question of their running attempt; it
   * is graded when the attempt closes. CONFLICT once submitted; DEADLINE_PASSED after the
   * deadline (the attempt is then graded on what was saved before).
   */
  async saveAnswer(ctx: CoursesContext, attemptId: string, answer: AnswerInput): Promise<QuizAttempt> {
    const viewer = viewerOf(ctx);
    const attempt = await this.ownRunningAttempt(ctx, viewer, attemptId);
    const question = (await ctx.loaders.questionsByQuiz.load(attempt.quiz.id)).find((q) => q.id === answer.questionId);
    if (!question) throw badInput('answer.questionId is not a question of this quiz', 'answer.questionId');
    checkAnswer(question, answer, 'answer');
    const now = new Date();
    let saved: boolean;
    try {
      saved = await ctx.em.transactional(async (tx) => {
        // Claims the attempt while it runs: a submission or a grading that comes first makes this a no-op,
        // and one that comes after waits for this save (the row is locked) and grades it.
        const running = { id: attempt.id, submittedAt: null, $or: [{ deadline: null }, { deadline: { $gt: now } }] };
        if ((await tx.nativeUpdate(QuizAttempt, running, { lastSavedAt: now })) !== 1) return false;
        const row =
          (await tx.findOne(QuizAnswer, { attempt: attempt.id, question: question.id })) ??
          tx.create(QuizAnswer, {
            schoolId: viewer.schoolId,
            attempt: tx.getReference(QuizAttempt, attempt.id),
            question: tx.getReference(Question, question.id),
          });
        assignAnswer(row, answer);
        return true;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException)
        throw conflict('The same answer was saved twice at the same moment; try again');
      throw err;
    }
    if (!saved) await this.ownRunningAttempt(ctx, viewer, attemptId);
    ctx.loaders.answersByAttempt.clear(attempt.id);
    return (await ctx.em.findOne(QuizAttempt, { id: attempt.id }, { refresh: true }))!;
  }

  /**
   * Grades and closes the calling student's attempt, on its saved answers and those given here
   * (which replace saved ones to the same questions; unanswered questions score 0). Refused after
   * its deadline (DEADLINE_PASSED: the attempt is graded on its saved answers instead), when
   * already submitted (CONFLICT), and for answers that do not fit the quiz (BAD_USER_INPUT): a
   * refused submission stores none of its answers.
   */
  async submit(ctx: CoursesContext, attemptId: string, answers: AnswerInput[]): Promise<QuizAttempt> {
    const viewer = viewerOf(ctx);
    const attempt = await this.ownRunningAttempt(ctx, viewer, attemptId);
    const questions = await ctx.loaders.questionsByQuiz.load(attempt.quiz.id);
    const byQuestion = new Map<string, GivenAnswer>();
    answers.forEach((answer, i) => {
      const question = questions.find((q) => q.id === answer.questionId);
      if (!question) throw badInput(`answers[${i}].questionId is not a question of this quiz`, `answers[${i}].questionId`);
      if (byQuestion.has(question.id)) throw badInput(`answers[${i}] answers a question a second time`, `answers[${i}].questionId`);
      checkAnswer(question, answer, `answers[${i}]`);
      byQuestion.set(question.id, answer);
    });
    const closed = await closeAttempt(ctx.em, attempt, { submittedAt: new Date(), timedOut: false, answers: byQuestion });
    if (!closed) await this.ownRunningAttempt(ctx, viewer, attemptId);
    ctx.loaders.answersByAttempt.clear(attempt.id);
    return (await ctx.em.findOne(QuizAttempt, { id: attempt.id }, { refresh: true }))!;
  }

  /**
   * The caller's attempt if it still runs. NOT_FOUND when it is not theirs (or its quiz was
   * deleted), CONFLICT when graded, DEADLINE_PASSED (after grading it) when its time is up.
   */
  private async ownRunningAttempt(ctx: CoursesContext, viewer: Viewer, attemptId: string): Promise<QuizAttempt> {
    const attempt = await ctx.em.findOne(QuizAttempt, { id: attemptId }, { refresh: true });
    if (!attempt || attempt.studentId !== viewer.id) throw notFound('Quiz attempt');
    if (attempt.submittedAt) throw attempt.timedOut ? deadlinePassed(attempt) : conflict('This attempt was already submitted');
    if (!isOpen(attempt)) {
      await closeAttempt(ctx.em, attempt, { submittedAt: attempt.deadline!, timedOut: true });
      throw deadlinePassed(attempt);
    }
    return attempt;
  }

  /** A quiz (not deleted) the viewer may change: NOT_FOUND, FORBIDDEN, or CONFLICT for an archived course. */
  private async managedQuiz(ctx: CoursesContext, viewer: Viewer, id: string): Promise<Quiz> {
    const quiz = await ctx.loaders.quiz.load(id);
    if (!quiz || !(await coursePolicy.viewableCourseOf(ctx, viewer, quiz))) throw notFound('Quiz');
    await coursePolicy.editable(ctx, viewer, quiz.course.id);
    return quiz;
  }
}

/** Whether anyone has started an attempt at the quiz (its questions are then fixed). */
const attempted = async (em: EntityManager, quizId: string) => (await em.count(QuizAttempt, { quiz: quizId }, includingDeleted())) > 0;

const questionsFrozen = () => conflict('The questions cannot change once students have started the quiz; create a new quiz instead');

/** Checks the questions of a quiz; returns them with their solutions' defaults filled in. */
function checkQuestions(input: QuestionInput[]) {
  return input.map((q, i) => ({
    prompt: text(q.prompt, `questions[${i}].prompt`, 2000),
    ...checkQuestion({ ...q, points: q.points ?? 1 }, `questions[${i}]`),
  }));
}

/** Checks a quiz's settings together (create and update). */
function checkSettings(s: {
  passingScore?: number;
  total: number;
  solutionsVisibility: SolutionsVisibility;
  dueAt?: Date;
  /** A new due date was given (it must be in the future; one kept from before may have passed). */
  dueAtChanged: boolean;
}) {
  if (s.passingScore != null && s.passingScore > s.total) {
    throw badInput(`passingScore cannot exceed the questions' total of ${s.total} points`, 'passingScore');
  }
  if (s.dueAtChanged && s.dueAt && s.dueAt.getTime() <= Date.now()) throw badInput('dueAt must be in the future', 'dueAt');
  if (s.solutionsVisibility === SolutionsVisibility.AFTER_DUE_DATE && !s.dueAt) {
    throw badInput('AFTER_DUE_DATE needs a dueAt', 'dueAt');
  }
  return { solutionsVisibility: s.solutionsVisibility, dueAt: s.dueAt };
}
