import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * A live session (`id` = courses' session id): its planned start (the latest reschedule wins, by
 * `startsAtObservedAt`) and the moments it started, ended or was canceled, each set once and never
 * unset, so the session's events may come in any order.
 */
@Entity()
@Index({ properties: ['schoolId', 'startsAt'] })
export class LiveSessionFact extends TenantOwned {
  @Index()
  @Property({ type: 'uuid' })
  courseId!: string;

  @Property({ length: 3 })
  startsAt!: Date;

  @Property({ length: 3 })
  startsAtObservedAt!: Date;

  @Property({ length: 3, nullable: true })
  startedAt?: Date;

  @Property({ length: 3, nullable: true })
  endedAt?: Date;

  @Property({ length: 3, nullable: true })
  canceledAt?: Date;
}
