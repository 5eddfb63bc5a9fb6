import { pairKey } from '../../../platform/graphql/loaders';
import type { CoursesContext } from '../context';
import type { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import type { Viewer } from '../../../platform/auth/viewer';
import type { QuizAttempt } from './quiz-attempt.entity';

/** Running: not submitted and, for a timed quiz, before its deadline. */
export const isOpen = (attempt: QuizAttempt, now = new Date()) => !attempt.submittedAt && (!attempt.deadline || attempt.deadline > now);

/**
 * Solutions and graded answers.
 * - The course's teacher and school admins always see the solutions.
 * - A student (and their guardians) sees an attempt's graded answers with the solutions once that
 *   attempt is submitted, and only while the student has no other attempt at the quiz running:
 *   the answers of a finished attempt must not help with the next one.
 * - Nobody else ever sees them, and a question shown for answering never carries its solution.
 */
export const quizPolicy = {
  canSeeSolutions(viewer: Viewer, course: Course): boolean {
    return coursePolicy.canManage(viewer, course);
  },

  async canSeeAttempt(ctx: CoursesContext, viewer: Viewer, attempt: QuizAttempt, course: Course): Promise<boolean> {
    return coursePolicy.canSeeStudent(ctx, viewer, attempt.studentId, course);
  },

  async resultsRevealed(ctx: CoursesContext, viewer: Viewer, attempt: QuizAttempt, course: Course): Promise<boolean> {
    if (quizPolicy.canSeeSolutions(viewer, course)) return true;
    if (!attempt.submittedAt || !(await quizPolicy.canSeeAttempt(ctx, viewer, attempt, course))) return false;
    const attempts = await ctx.loaders.attemptsOf.load(pairKey(attempt.quiz.id, attempt.studentId));
    const now = new Date();
    return !attempts.some((a) => isOpen(a, now));
  },
};
