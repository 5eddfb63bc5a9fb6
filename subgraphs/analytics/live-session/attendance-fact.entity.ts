import { Entity, OptionalProps, Index, Property } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * A student's settled attendance of a live session (`id` = derivedId(sessionId, studentId)); a
 * later change (a teacher excusing the student) supersedes it by `observedAt`.
 */
@Entity()
export class AttendanceFact extends TenantOwned {
  [OptionalProps]?: 'totalSeconds';

  @Index()
  @Property({ type: 'uuid' })
  sessionId!: string;

  @Index()
  @Property({ type: 'uuid' })
  courseId!: string;

  @Property({ type: 'uuid' })
  studentId!: string;

  /** PRESENT, LATE, ABSENT or EXCUSED. */
  @Property({ length: 16 })
  status!: string;

  @Property()
  totalSeconds: number = 0;

  @Property({ length: 3 })
  observedAt!: Date;
}
