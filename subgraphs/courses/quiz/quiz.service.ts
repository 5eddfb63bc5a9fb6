import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { domainEvent } from '../../../platform/events/domain-events';
import { appError, badInput, conflict, ErrorCode, forbidden, notFound } from '../../../platform/errors';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { CoursesContext } from '../context';
import { Course, CourseStatus } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { text } from '../../../platform/graphql/validation';
import { requireStudent, viewerOf } from '../../../platform/auth/viewer';
import { checkAnswer, checkQuestion, grade, totalPoints } from './grading';
import { Question } from './question.entity';
import { QuizAnswer } from './quiz-answer.entity';
import { isOpen } from './quiz.policy';
import { QuizAttempt } from './quiz-attempt.entity';
import type { AnswerInput, CreateQuizInput } from './quiz.input';
import { Quiz } from './quiz.entity';

/** Quizzes: written by a course's managers, taken by its enrolled students, graded automatically. */
export class QuizService {
  async create(ctx: CoursesContext, courseId: string, input: CreateQuizInput): Promise<Quiz> {
    const viewer = viewerOf(ctx);
    const course = await coursePolicy.editable(ctx, viewer, courseId);
    const title = text(input.title, 'title', 200);
    const questions = input.questions.map((q, i) => ({
      prompt: text(q.prompt, `questions[${i}].prompt`, 2000),
      ...checkQuestion({ ...q, points: q.points ?? 1 }, `questions[${i}]`),
    }));
    const total = totalPoints(questions);
    if (input.passingScore != null && input.passingScore > total) {
      throw badInput(`passingScore cannot exceed the questions' total of ${total} points`, 'passingScore');
    }
    return ctx.em.transactional(async (tx) => {
      const quiz = tx.create(Quiz, {
        schoolId: viewer.schoolId,
        course: tx.getReference(Course, course.id),
        title,
        maxAttempts: input.maxAttempts ?? undefined,
        timeLimitSeconds: input.timeLimitSeconds ?? undefined,
        passingScore: input.passingScore ?? undefined,
      });
      questions.forEach((q, i) => tx.create(Question, { schoolId: viewer.schoolId, quiz, position: i + 1, ...q }));
      return quiz;
    });
  }

  /**
   * Starts an attempt for the calling student, or returns the one still running (a reconnecting
   * app resumes rather than burning an attempt). The deadline is fixed here, on the server clock.
   */
  async start(ctx: CoursesContext, quizId: string): Promise<QuizAttempt> {
    const viewer = viewerOf(ctx);
    requireStudent(viewer);
    const quiz = await ctx.loaders.quiz.load(quizId);
    const course = await coursePolicy.viewableCourseOf(ctx, viewer, quiz);
    if (!quiz || !course) throw notFound('Quiz');
    if (!(await coursePolicy.canStudy(ctx, viewer, course))) throw forbidden('Only students enrolled in the course can take its quizzes');
    if (course.status !== CourseStatus.PUBLISHED) throw conflict('The course is archived; its quizzes are closed');
    const questions = await ctx.loaders.questionsByQuiz.load(quiz.id);
    try {
      return await ctx.em.transactional(async (tx) => {
        const attempts = await tx.find(QuizAttempt, { quiz: quiz.id, studentId: viewer.id }, { orderBy: { number: 'asc' }, refresh: true });
        const now = new Date();
        const running = attempts.find((a) => isOpen(a, now));
        if (running) return running;
        if (quiz.maxAttempts != null && attempts.length >= quiz.maxAttempts) {
          throw appError(ErrorCode.ATTEMPT_LIMIT_REACHED, `All ${quiz.maxAttempts} attempts at this quiz are used`, {
            maxAttempts: quiz.maxAttempts,
          });
        }
        return tx.create(QuizAttempt, {
          schoolId: viewer.schoolId,
          quiz: tx.getReference(Quiz, quiz.id),
          studentId: viewer.id,
          number: (attempts.at(-1)?.number ?? 0) + 1,
          startedAt: now,
          deadline: quiz.timeLimitSeconds ? new Date(now.getTime() + quiz.timeLimitSeconds * 1000) : undefined,
          maxScore: totalPoints(questions),
        });
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw conflict('Another attempt was started at the same moment; try again');
      throw err;
    }
  }

  /**
   * Grades and closes the calling student's attempt. Refused after its deadline (DEADLINE_PASSED),
   * when already submitted (CONFLICT) and for answers that do not fit the quiz (BAD_USER_INPUT);
   * a refused submission changes nothing. Unanswered questions score 0.
   */
  async submit(ctx: CoursesContext, attemptId: string, answers: AnswerInput[]): Promise<QuizAttempt> {
    const viewer = viewerOf(ctx);
    const attempt = await ctx.em.findOne(QuizAttempt, { id: attemptId }, { refresh: true });
    if (!attempt || attempt.studentId !== viewer.id) throw notFound('Quiz attempt');
    if (attempt.submittedAt) throw conflict('This attempt was already submitted');
    const submittedAt = new Date();
    if (attempt.deadline && submittedAt > attempt.deadline) {
      throw appError(ErrorCode.DEADLINE_PASSED, 'The time limit of this attempt has passed; the submission was refused', {
        deadline: attempt.deadline.toISOString(),
      });
    }
    const quiz = (await ctx.loaders.quiz.load(attempt.quiz.id))!;
    const questions = await ctx.loaders.questionsByQuiz.load(quiz.id);
    const byQuestion = new Map<string, AnswerInput>();
    answers.forEach((answer, i) => {
      const question = questions.find((q) => q.id === answer.questionId);
      if (!question) throw badInput(`answers[${i}].questionId is not a question of this quiz`, `answers[${i}].questionId`);
      if (byQuestion.has(question.id)) throw badInput(`answers[${i}] answers a question a second time`, `answers[${i}].questionId`);
      checkAnswer(question, answer, `answers[${i}]`);
      byQuestion.set(question.id, answer);
    });
    const graded = questions.map((question) => ({
      question,
      answer: byQuestion.get(question.id),
      ...grade(question, byQuestion.get(question.id)),
    }));
    const score = graded.reduce((sum, g) => sum + g.points, 0);
    const maxScore = totalPoints(questions);
    const passed = quiz.passingScore != null ? score >= quiz.passingScore : undefined;

    return ctx.em.transactional(async (tx) => {
      // The conditional update claims the attempt: of two racing submissions only one changes the row.
      const claimed = await tx.nativeUpdate(
        QuizAttempt,
        { id: attempt.id, submittedAt: null },
        { submittedAt, score, maxScore, passed: passed ?? null },
      );
      if (claimed !== 1) throw conflict('This attempt was already submitted');
      for (const g of graded.filter((x) => x.answer)) {
        const { choices, booleanValue, numericValue, text: answerText } = g.answer!;
        tx.create(QuizAnswer, {
          schoolId: viewer.schoolId,
          attempt: tx.getReference(QuizAttempt, attempt.id),
          question: tx.getReference(Question, g.question.id),
          choices: choices ?? undefined,
          booleanValue: booleanValue ?? undefined,
          numericValue: numericValue ?? undefined,
          text: answerText ?? undefined,
          correct: g.correct,
          pointsAwarded: g.points,
        });
      }
      recordEvent(
        tx,
        domainEvent('quiz.submitted', viewer.schoolId, {
          attemptId: attempt.id,
          quizId: quiz.id,
          courseId: quiz.course.id,
          studentId: viewer.id,
          score,
          maxScore,
          submittedAt: submittedAt.toISOString(),
        }),
      );
      await tx.flush();
      return (await tx.findOne(QuizAttempt, { id: attempt.id }, { refresh: true }))!;
    });
  }
}
