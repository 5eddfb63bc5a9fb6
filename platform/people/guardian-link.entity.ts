import { Entity, Index, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../db/tenant';

/**
 * Read model of the users subgraph's guardian links (parent → student), kept from its
 * `guardian.linked` / `guardian.unlinked` domain events (read-models.ts). Why a local copy
 * rather than asking users on each request: parent checks run in resolvers, in
 * `__resolveReference` and in the live-session subscription check, often many per request; a
 * local indexed table answers them in one batched query with no network hop and keeps working
 * while the users subgraph is down. The price is a short delay after a pairing.
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
