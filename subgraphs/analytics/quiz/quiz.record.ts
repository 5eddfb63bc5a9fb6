import type { EntityManager } from '@mikro-orm/core';
import { QuizAttemptFact } from './quiz-attempt-fact.entity';

export interface GradedAttempt {
  attemptId: string;
  quizId: string;
  courseId: string;
  studentId: string;
  score: number;
  maxScore: number;
  submittedAt: Date;
}

/** A graded attempt, once: the same attempt again (a redelivery, the export) changes nothing. */
export async function recordQuizAttempt(tx: EntityManager, schoolId: string, attempt: GradedAttempt): Promise<void> {
  const { attemptId, ...fields } = attempt;
  if (await tx.findOne(QuizAttemptFact, { id: attemptId })) return;
  tx.create(QuizAttemptFact, { id: attemptId, schoolId, ...fields });
}
