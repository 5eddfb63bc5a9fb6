import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import type { RoleName } from '../../../platform/auth/roles';
import { StringListType } from '../../../platform/db/columns';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * Read model of the users subgraph's people as messaging needs them: roles (who may write to
 * whom), whether they are active, and where messages reach them (email, phone, language). Kept
 * from `user.upserted` (contact.consumer.ts) and filled on first start by a people backfill. A
 * local copy so that an announcement to 500 families is one indexed query, and deliveries go on
 * while users is down.
 *
 * `id` is the user id; another school's person is behind the tenant filter.
 */
@Entity()
export class Contact extends TenantOwned {
  [OptionalProps]?: 'active' | 'locale';

  @Property({ type: StringListType })
  roles: RoleName[] = [];

  @Property()
  active: boolean = true;

  @Property({ length: 200, nullable: true })
  displayName?: string;

  @Property({ length: 320, nullable: true })
  email?: string;

  /** E.164. */
  @Property({ length: 32, nullable: true })
  phone?: string;

  /** `AR` or `EN`: the language of every message to the person. */
  @Property({ length: 2 })
  locale: 'AR' | 'EN' = 'AR';

  /** `occurredAt` of the event this row reflects: an older event arriving late changes nothing. */
  @Property({ length: 3 })
  observedAt!: Date;
}
