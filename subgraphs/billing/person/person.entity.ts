import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import type { RoleName } from '../../../platform/auth/roles';
import { StringListType } from '../../../platform/db/columns';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * Read model of the users subgraph's people, kept from its `user.upserted` events
 * (person.consumer.ts) and filled on first start by a backfill request (person.backfill.ts):
 * the names printed on invoices and given to the providers' checkout pages, which billing cannot
 * ask users for at payment time. `id` is the user id.
 */
@Entity()
export class Person extends TenantOwned {
  [OptionalProps]?: 'active';

  @Property({ type: StringListType })
  roles: RoleName[] = [];

  @Property()
  active: boolean = true;

  @Property({ length: 200, nullable: true })
  displayName?: string;

  /** `occurredAt` of the event this row reflects: an older event arriving late is ignored. */
  @Property({ length: 3 })
  observedAt!: Date;
}
