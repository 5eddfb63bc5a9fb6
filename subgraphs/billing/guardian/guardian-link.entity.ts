import { Entity, Index, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * Read model of the users subgraph's guardian links (parent → student), kept from its
 * `guardian.linked` / `guardian.unlinked` events (guardian.consumer.ts): who may pay for and see
 * the payments of which student, answered locally (no call to users per request).
 */
@Entity()
@Unique({ properties: ['guardianId', 'studentId'] })
export class GuardianLink extends TenantOwned {
  [OptionalProps]?: 'linkedAt';

  @Index()
  @Property({ type: 'uuid' })
  guardianId!: string;

  @Index()
  @Property({ type: 'uuid' })
  studentId!: string;

  @Property({ length: 3 })
  linkedAt: Date = new Date();
}
