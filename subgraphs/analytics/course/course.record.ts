import type { EntityManager } from '@mikro-orm/core';
import { CourseFact } from './course-fact.entity';

export interface CourseState {
  teacherId: string;
  title: string;
  status: string;
}

/** A course's whole state (an upsert event or the export); an older one than the row's changes nothing. */
export async function recordCourse(tx: EntityManager, schoolId: string, courseId: string, state: CourseState, observedAt: Date) {
  const row = await tx.findOne(CourseFact, { id: courseId });
  if (!row) tx.create(CourseFact, { id: courseId, schoolId, ...state, observedAt });
  else if (row.observedAt <= observedAt) Object.assign(row, state, { observedAt });
}

/** A deletion is final whatever its order: an older upsert arriving later does not bring the course back. */
export async function recordCourseDeleted(tx: EntityManager, schoolId: string, courseId: string, observedAt: Date) {
  const row = await tx.findOne(CourseFact, { id: courseId });
  if (!row) tx.create(CourseFact, { id: courseId, schoolId, deleted: true, observedAt });
  else row.deleted = true;
}
