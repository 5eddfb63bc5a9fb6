import type { EntityManager } from '@mikro-orm/core';
import { domainEvent } from '../../../platform/events/domain-events';
import { recordEvent } from '../../../platform/outbox/outbox';
import { includingDeleted } from '../course/soft-delete';
import { grade, totalPoints, type GivenAnswer } from './grading';
import { Question } from './question.entity';
import { QuizAnswer } from './quiz-answer.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { Quiz } from './quiz.entity';

/** Not graded yet, and its deadline has passed: it is graded on its saved answers when next read or touched. */
export const isExpired = (attempt: QuizAttempt, now = new Date()) => !attempt.submittedAt && !!attempt.deadline && attempt.deadline <= now;

/** Writes one given answer into its row, clearing the fields the answer does not use. */
export function assignAnswer(row: QuizAnswer, answer: GivenAnswer): void {
  row.choices = answer.choices ?? null;
  row.booleanValue = answer.booleanValue ?? undefined;
  row.numericValue = answer.numericValue ?? undefined;
  row.text = answer.text ?? undefined;
}

export interface Closing {
  /** When it ended: now for a submission, the deadline for an attempt that ran out of time. */
  submittedAt: Date;
  timedOut: boolean;
  /** Answers given with a submission (checked against the quiz by the caller), by question id; they replace saved ones. */
  answers?: ReadonlyMap<string, GivenAnswer>;
}

/**
 * Closes and grades an attempt in a transaction of its own: the answers given with a submission
 * are stored over the saved ones, then every stored answer is graded against the quiz's questions
 * (unanswered questions score 0), and `quiz.submitted` is recorded with the result. The
 * conditional update claims the attempt first, so of two racing closings (a submission and a
 * read that finds it expired, or two reads) exactly one grades it; returns false for the other.
 * Works for attempts at a deleted quiz too: they are history, and are graded like any other.
 */
export async function closeAttempt(em: EntityManager, attempt: QuizAttempt, closing: Closing): Promise<boolean> {
  const everything = includingDeleted;
  return em.transactional(async (tx) => {
    // A submission counts only before the deadline, to the millisecond (the caller checked, a moment ago).
    const onTime = closing.timedOut ? {} : { $or: [{ deadline: null }, { deadline: { $gte: closing.submittedAt } }] };
    const claimed = await tx.nativeUpdate(
      QuizAttempt,
      { id: attempt.id, submittedAt: null, ...onTime },
      { submittedAt: closing.submittedAt, timedOut: closing.timedOut },
      everything(),
    );
    if (claimed !== 1) return false;
    const quiz = await tx.findOneOrFail(Quiz, { id: attempt.quiz.id }, everything());
    const questions = await tx.find(Question, { quiz: quiz.id }, { ...everything(), orderBy: { position: 'asc' } });
    const rows = new Map((await tx.find(QuizAnswer, { attempt: attempt.id }, everything())).map((a) => [a.question.id, a]));
    for (const [questionId, given] of closing.answers ?? []) {
      const row =
        rows.get(questionId) ??
        tx.create(QuizAnswer, {
          schoolId: attempt.schoolId,
          attempt: tx.getReference(QuizAttempt, attempt.id),
          question: tx.getReference(Question, questionId),
        });
      assignAnswer(row, given);
      rows.set(questionId, row);
    }
    let score = 0;
    for (const question of questions) {
      const row = rows.get(question.id);
      if (!row) continue;
      const result = grade(question, row);
      row.correct = result.correct;
      row.pointsAwarded = result.points;
      score += result.points;
    }
    const maxScore = totalPoints(questions);
    const passed = quiz.passingScore != null ? score >= quiz.passingScore : null;
    await tx.nativeUpdate(QuizAttempt, { id: attempt.id }, { score, maxScore, passed }, everything());
    recordEvent(
      tx,
      domainEvent('quiz.submitted', attempt.schoolId, {
        attemptId: attempt.id,
        quizId: quiz.id,
        courseId: quiz.course.id,
        studentId: attempt.studentId,
        score,
        maxScore,
        submittedAt: closing.submittedAt.toISOString(),
        ...(closing.timedOut ? { timedOut: true } : {}),
      }),
    );
    await tx.flush();
    return true;
  });
}

/**
 * Grades, on their saved answers, the attempts of `attempts` whose deadline has passed, then
 * reloads them in `em` (the objects of `attempts` are updated in place). Every path that reads
 * attempts goes through here (quiz.loaders.ts and the service), so no view ever shows an
 * attempt that ran out of time as anything but graded. Not inside a transaction of `em`'s: it
 * runs transactions of its own.
 */
export async function settleExpired<T extends QuizAttempt>(em: EntityManager, attempts: T[]): Promise<T[]> {
  const now = new Date();
  const expired = attempts.filter((a) => isExpired(a, now));
  if (!expired.length) return attempts;
  for (const attempt of expired) await closeAttempt(em, attempt, { submittedAt: attempt.deadline!, timedOut: true });
  await em.find(QuizAttempt, { id: { $in: expired.map((a) => a.id) } }, { ...includingDeleted(), refresh: true });
  return attempts;
}
