import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * When a student last did something in a course (completed a lesson, submitted a quiz, attended a
 * live session): the latest time wins, so the order and repetition of the events do not matter.
 * `id` = derivedId(courseId, studentId). "Active students in the last 7 days" reads it.
 */
@Entity()
@Index({ properties: ['schoolId', 'lastActiveAt'] })
export class StudentActivity extends TenantOwned {
  @Index()
  @Property({ type: 'uuid' })
  courseId!: string;

  @Property({ type: 'uuid' })
  studentId!: string;

  @Property({ length: 3 })
  lastActiveAt!: Date;
}
