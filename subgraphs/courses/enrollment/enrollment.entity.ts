import { Entity, Filter, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../../platform/db/tenant';
import { EnumColumn } from '../../../platform/db/columns';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { Course } from '../course/course.entity';

export enum EnrollmentStatus {
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  DROPPED = 'DROPPED',
}
registerEnumType(EnrollmentStatus, {
  name: 'EnrollmentStatus',
  valuesConfig: {
    COMPLETED: { description: 'Every lesson is done; a lesson added later makes it ACTIVE again.' },
    DROPPED: { description: 'Removed by staff; history is kept and enrolling again reactivates it.' },
  },
});

/** How a student came to be enrolled. */
export enum EnrollmentSource {
  /** A school admin or the course's teacher (`enroll`). */
  STAFF = 'STAFF',
  /** A paid plan subscription activated in billing. */
  SUBSCRIPTION = 'SUBSCRIPTION',
}

/** The filter that hides removed enrollments; lift it (`filters: { [REMOVED_FILTER]: false }`) only to restore one. */
export const REMOVED_FILTER = 'notRemoved';

/**
 * A student in a course. Progress is not stored: it is derived from lesson completions each time
 * (context.ts batches it), so adding a lesson can never leave a stale percentage behind.
 *
 * Removal is a soft delete (`removedAt`): a removed enrollment is behind a default filter, so no
 * query of this subgraph sees it (rosters, counts, access, progress) unless it lifts the filter by
 * name, while its lesson completions, attempts and attendance stay stored. Enrolling the student
 * again restores the row and with it that history.
 */
@Directive(cacheHint(60, 'PRIVATE'))
@ObjectType()
@Entity()
@Unique({ properties: ['course', 'studentId'] })
// The tenant filter puts `school_id = ?` in every query, and SQLite (no planner statistics) then
// prefers the lone school_id index to an IN list on any other index: a batch of (course, student)
// lookups (enrollmentOf: subscription admissions, access checks) read every enrollment of the
// school. With the school first, the student lookups are index probes on either database.
@Index({ properties: ['schoolId', 'studentId'] })
@Filter({ name: REMOVED_FILTER, cond: { removedAt: null }, default: true })
export class Enrollment extends TenantEntity<'status' | 'source'> {
  @Field(() => ID)
  override id!: string;

  @ManyToOne(() => Course, { deleteRule: 'cascade' })
  course!: Course;

  @Index()
  @Property({ type: 'uuid' })
  studentId!: string;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => EnrollmentStatus)
  @EnumColumn()
  status: EnrollmentStatus = EnrollmentStatus.ACTIVE;

  @EnumColumn()
  source: EnrollmentSource = EnrollmentSource.STAFF;

  /** Who enrolled the student (staff) or the billing subscription id. */
  @Property({ length: 64, nullable: true })
  sourceRef?: string;

  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => Date, { nullable: true })
  @Property({ nullable: true })
  completedAt?: Date;

  /** Set when removed (soft delete); see REMOVED_FILTER. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  removedAt?: Date | null;

  /** Who removed it: the staff member's id, or `UNKNOWN_STUDENT` for the clean-up after a people backfill. */
  @Property({ type: 'string', length: 64, nullable: true })
  removedBy?: string | null;

  /** Also the pagination key (connection.ts orders by createdAt, id). */
  @Directive(cacheHint(60, 'PRIVATE'))
  @Field(() => Date, { name: 'enrolledAt' })
  override createdAt!: Date;
}
