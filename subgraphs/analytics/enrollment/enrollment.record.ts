import type { EntityManager } from '@mikro-orm/core';
import { derivedId } from '../../../platform/db/derived-id';
import { EnrollmentFact, type EnrollmentState } from './enrollment-fact.entity';
import { StudentActivity } from './student-activity.entity';

export interface EnrollmentKey {
  enrollmentId: string;
  courseId: string;
  studentId: string;
}

async function rowOf(tx: EntityManager, schoolId: string, key: EnrollmentKey): Promise<EnrollmentFact> {
  const row = await tx.findOne(EnrollmentFact, { id: key.enrollmentId });
  if (row) return row;
  // Older than anything: the first stated state replaces UNKNOWN whatever its time.
  return tx.create(EnrollmentFact, {
    id: key.enrollmentId,
    schoolId,
    courseId: key.courseId,
    studentId: key.studentId,
    stateAt: new Date(0),
  });
}

/** An enrollment's state as of `at` (created or restored, dropped, removed); an older one changes nothing. */
export async function recordEnrollmentState(
  tx: EntityManager,
  schoolId: string,
  key: EnrollmentKey,
  state: Exclude<EnrollmentState, 'UNKNOWN'>,
  at: Date,
  enrolledAt?: Date,
): Promise<void> {
  const row = await rowOf(tx, schoolId, key);
  if (enrolledAt && !row.enrolledAt) row.enrolledAt = enrolledAt;
  if (row.stateAt > at) return;
  row.state = state;
  row.stateAt = at;
}

/** The enrollment's progress as of `at` (a lesson completion, the export); an older one changes nothing. */
export async function recordProgress(tx: EntityManager, schoolId: string, key: EnrollmentKey, progress: number, at: Date): Promise<void> {
  const row = await rowOf(tx, schoolId, key);
  if (row.progressAt && row.progressAt > at) return;
  row.progress = Math.min(1, Math.max(0, progress));
  row.progressAt = at;
}

/** The student did something in the course at `at`: the latest time is kept. */
export async function recordActivity(tx: EntityManager, schoolId: string, courseId: string, studentId: string, at: Date): Promise<void> {
  const id = derivedId(courseId, studentId);
  const row = await tx.findOne(StudentActivity, { id });
  if (!row) tx.create(StudentActivity, { id, schoolId, courseId, studentId, lastActiveAt: at });
  else if (row.lastActiveAt < at) row.lastActiveAt = at;
}
