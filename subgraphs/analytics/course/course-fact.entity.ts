import { Entity, OptionalProps, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * A course as analytics needs it: who teaches it (the one teacher who may read its analytics)
 * and whether it still counts. Kept from `course.upserted` / `course.deleted` and the courses
 * facts export. `id` is the course id.
 */
@Entity()
export class CourseFact extends TenantOwned {
  [OptionalProps]?: 'title' | 'status' | 'deleted';

  @Index()
  @Property({ type: 'uuid', nullable: true })
  teacherId?: string;

  @Property({ length: 200, default: '' })
  title: string = '';

  /** `DRAFT`, `PUBLISHED` or `ARCHIVED`, as courses says. */
  @Property({ length: 16, default: 'DRAFT' })
  status: string = 'DRAFT';

  /** Deleted in courses: final whatever the order the events arrive in. */
  @Property({ default: false })
  deleted: boolean = false;

  /** `occurredAt` of the event (or the export) this row reflects. */
  @Property({ length: 3 })
  observedAt!: Date;
}
