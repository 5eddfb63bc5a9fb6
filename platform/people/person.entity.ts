import { Entity, OptionalProps, Property } from '@mikro-orm/core';
import type { RoleName } from '../auth/roles';
import { StringListType } from '../db/columns';
import { TenantOwned } from '../db/tenant';

/**
 * Read model of the users subgraph's people, kept from its `user.upserted` events
 * (read-models.ts) and filled on first start by a backfill (each subgraph's person/person.backfill.ts). Why a local
 * copy rather than asking users on each request: the ids a mutation takes (a student to enroll, a
 * teacher to teach) are checked with one indexed, batched query and no network hop, views can
 * leave out rows naming someone users would not resolve (its null for a non-null `User!` blanks
 * the whole view at the gateway), and both keep working while users is down. The price is a short
 * delay after a person is created.
 *
 * `id` is the user id (not one of ours); another school's person is behind the tenant filter.
 */
@Entity()
export class Person extends TenantOwned {
  [OptionalProps]?: 'active';

  /** The role names of platform/auth/roles.ts, as users grants them. */
  @Property({ type: StringListType })
  roles: RoleName[] = [];

  /** A deactivated person stays known (history names them) but is no valid reference for new rows. */
  @Property()
  active: boolean = true;

  /** For logs and support only; the gateway gets names from users. */
  @Property({ length: 200, nullable: true })
  displayName?: string;

  /**
   * `occurredAt` of the event this row reflects: an older event arriving late (a retry, a backfill
   * overtaking a live change) is ignored.
   */
  @Property({ length: 3 })
  observedAt!: Date;
}
