import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * Read model of the courses subgraph's courses as messaging needs them: the title (messages name
 * the course) and the teacher (who may announce to it, and whom its families may write to). Kept
 * from `course.upserted` / `course.deleted` (course.consumer.ts). `id` is the course id.
 */
@Entity()
export class CourseInfo extends TenantOwned {
  @Property({ length: 200 })
  title!: string;

  @Index()
  @Property({ type: 'uuid' })
  teacherId!: string;

  /** `DRAFT`, `PUBLISHED` or `ARCHIVED`, as courses says. */
  @Property({ length: 16 })
  status!: string;

  /** Set once courses deleted the course: no announcements, no new conversations about it. */
  @Property({ length: 3, nullable: true })
  deletedAt?: Date;

  /** `occurredAt` of the event this row reflects. */
  @Property({ length: 3 })
  observedAt!: Date;
}
