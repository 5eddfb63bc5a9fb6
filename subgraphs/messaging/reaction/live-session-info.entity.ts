import { Entity, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * Read model of the courses subgraph's live sessions as the reactions need them: the title an
 * absence notice names, when the session starts (its reminders), and whether it started or was
 * called off. Kept from `live.session.*` (live-session.consumer.ts). `observedAt` is the
 * `occurredAt` of the latest event applied: an older event arriving late (a retry overtaken by a
 * reschedule) changes nothing and schedules no reminder. `id` is the session id.
 */
@Entity()
export class LiveSessionInfo extends TenantOwned {
  @Property({ type: 'uuid' })
  courseId!: string;

  /** Absent when the first event seen of it (`live.session.started`) does not carry it. */
  @Property({ length: 200, nullable: true })
  title?: string;

  @Property({ length: 3, nullable: true })
  startsAt?: Date;

  @Property({ length: 3, nullable: true })
  startedAt?: Date;

  @Property({ length: 3, nullable: true })
  canceledAt?: Date;

  @Property({ length: 3 })
  observedAt!: Date;
}
