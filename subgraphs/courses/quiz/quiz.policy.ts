import { pairKey } from '../../../platform/graphql/loaders';
import type { CoursesContext } from '../context';
import type { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import type { Viewer } from '../../../platform/auth/viewer';
import type { QuizAttempt } from './quiz-attempt.entity';
import { SolutionsVisibility, type Quiz } from './quiz.entity';

/** Running: not graded and, for a timed quiz, before its deadline. */
export const isOpen = (attempt: QuizAttempt, now = new Date()) => !attempt.submittedAt && (!attempt.deadline || attempt.deadline > now);

/** The quiz's due date has passed: no attempt starts or runs any more. */
export const duePassed = (quiz: Quiz, now = new Date()) => !!quiz.dueAt && quiz.dueAt <= now;

/** The student can start no further attempt: every allowed one used, or the due date passed. */
export const noAttemptLeft = (quiz: Quiz, attempts: readonly QuizAttempt[], now = new Date()) =>
  duePassed(quiz, now) || (quiz.maxAttempts != null && attempts.length >= quiz.maxAttempts);

/**
 * Solutions and graded answers (which answers were right, their points, the right answers).
 * - The course's teacher and school admins always see them.
 * - A student (and their guardians) sees them only when the quiz's `solutionsVisibility` allows,
 *   and never while an attempt of theirs at the quiz runs:
 *   - AFTER_EACH_ATTEMPT: once an attempt of theirs is graded;
 *   - AFTER_LAST_ATTEMPT (the default): once they have no attempt left (all of maxAttempts used,
 *     or the due date passed), so the solutions of one attempt cannot help with the next;
 *   - AFTER_DUE_DATE: once the due date has passed (no attempt runs after it).
 *   The visibility is decided on each read: a teacher who allows more attempts hides the
 *   solutions again from those who now have some left (what they already saw, they saw).
 * - Scores are not solutions: the student sees each graded attempt's score and pass mark.
 * - Nobody else ever sees them, and a question shown for answering carries no solution.
 */
export const quizPolicy = {
  canSeeSolutions(viewer: Viewer, course: Course): boolean {
    return coursePolicy.canManage(viewer, course);
  },

  async canSeeAttempt(ctx: CoursesContext, viewer: Viewer, attempt: QuizAttempt, course: Course): Promise<boolean> {
    return coursePolicy.canSeeStudent(ctx, viewer, attempt.studentId, course);
  },

  /** Whether the quiz's solutions are shown to the student `studentId` (and their guardians) now. */
  async revealedToStudent(ctx: CoursesContext, quiz: Quiz, studentId: string): Promise<boolean> {
    const attempts = await ctx.loaders.attemptsOf.load(pairKey(quiz.id, studentId));
    const now = new Date();
    if (attempts.some((a) => isOpen(a, now))) return false;
    switch (quiz.solutionsVisibility) {
      case SolutionsVisibility.AFTER_EACH_ATTEMPT:
        return attempts.some((a) => a.submittedAt);
      case SolutionsVisibility.AFTER_LAST_ATTEMPT:
        return noAttemptLeft(quiz, attempts, now);
      case SolutionsVisibility.AFTER_DUE_DATE:
        return duePassed(quiz, now);
    }
  },

  /** The solutions of the quiz's questions, for the viewer: its managers, and a student once revealed to them. */
  async solutionsShownTo(ctx: CoursesContext, viewer: Viewer, quiz: Quiz, course: Course): Promise<boolean> {
    if (quizPolicy.canSeeSolutions(viewer, course)) return true;
    return viewer.isStudent && quizPolicy.revealedToStudent(ctx, quiz, viewer.id);
  },

  /** A graded attempt's per-answer results, for the viewer. */
  async resultsRevealed(ctx: CoursesContext, viewer: Viewer, attempt: QuizAttempt, quiz: Quiz, course: Course): Promise<boolean> {
    if (quizPolicy.canSeeSolutions(viewer, course)) return true;
    if (!attempt.submittedAt || !(await quizPolicy.canSeeAttempt(ctx, viewer, attempt, course))) return false;
    return quizPolicy.revealedToStudent(ctx, quiz, attempt.studentId);
  },
};
