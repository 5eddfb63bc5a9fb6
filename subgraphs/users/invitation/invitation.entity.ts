import { Entity, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';
import type { Role } from '../user/role';
import { RoleSetType } from '../user/role-set.type';

/** An admin's invitation for a person to join the school with given roles. */
@Entity()
export class Invitation extends TenantOwned {
  [OptionalProps]?: 'createdAt' | 'roles';

  @Property({ length: 254 })
  email!: string;

  @Property({ length: 200 })
  displayName!: string;

  @Property({ type: RoleSetType })
  roles: Role[] = [];

  /** SHA-256 of the invitation token; the token itself is shown once, to the inviter. */
  @Unique()
  @Property({ length: 64 })
  tokenHash!: string;

  @Property({ type: 'uuid' })
  invitedById!: string;

  @Property()
  expiresAt!: Date;

  @Property({ nullable: true })
  acceptedAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  userId?: string;

  /** Set when an admin revoked it before it was accepted: its token no longer works. */
  @Property({ type: 'datetime', length: 3, nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  revokedById?: string | null;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
