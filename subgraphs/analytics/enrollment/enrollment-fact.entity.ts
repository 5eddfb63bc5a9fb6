import { Entity, OptionalProps, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/** What analytics knows of an enrollment's state; `UNKNOWN` until an event or export states it. */
export type EnrollmentState = 'ACTIVE' | 'DROPPED' | 'REMOVED' | 'UNKNOWN';

/**
 * An enrollment (`id` = courses' enrollment id): whether it counts and how far the student got.
 * Its state and its progress come from different events (`enrollment.*` and `lesson.completed`),
 * each kept with the time of the event it reflects, so a late or repeated event never overwrites
 * a newer one; a progress that arrives before its enrollment makes an `UNKNOWN` row the
 * enrollment's event completes.
 */
@Entity()
@Index({ properties: ['schoolId', 'enrolledAt'] })
export class EnrollmentFact extends TenantOwned {
  [OptionalProps]?: 'state' | 'progress';

  @Index()
  @Property({ type: 'uuid' })
  courseId!: string;

  @Index()
  @Property({ type: 'uuid' })
  studentId!: string;

  @Property({ length: 3, nullable: true })
  enrolledAt?: Date;

  @Property({ length: 16 })
  state: EnrollmentState = 'UNKNOWN';

  /** `occurredAt` of the event (or export) `state` comes from. */
  @Property({ length: 3 })
  stateAt!: Date;

  /** 0..1: the share of the course's lessons completed. */
  @Property({ type: 'double' })
  progress: number = 0;

  /** When `progress` was true (the lesson completion or export it comes from). */
  @Property({ length: 3, nullable: true })
  progressAt?: Date;
}
