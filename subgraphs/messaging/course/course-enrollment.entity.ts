import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * Read model of the courses subgraph's enrollments: who is a student of which course now (the
 * audience of an announcement or a live-session reminder; which teachers a parent may write to).
 * Kept from `enrollment.created` / `.dropped` / `.removed` (course.consumer.ts). `id` is the
 * enrollment id.
 */
@Entity()
@Index({ properties: ['courseId', 'active'] })
export class CourseEnrollment extends TenantOwned {
  @Property({ type: 'uuid' })
  courseId!: string;

  @Index()
  @Property({ type: 'uuid' })
  studentId!: string;

  /** False once dropped or removed. */
  @Property()
  active: boolean = true;

  /** `occurredAt` of the event this row reflects. */
  @Property({ length: 3 })
  observedAt!: Date;
}
