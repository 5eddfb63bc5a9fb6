import { Entity, OptionalProps, Index, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * One refresh token of a login session (a family). Rotation marks it used and issues a child;
 * presenting a used token again is treated as theft and revokes the whole family (RFC 9700 §4.14.2).
 */
@Entity()
export class RefreshToken extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  /** Indexed: a password change or a deactivation revokes every session of the person. */
  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  /** All tokens of one login share it; it is also the `sid` claim of the access tokens. */
  @Index()
  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: 'uuid', nullable: true })
  parentId?: string;

  /** SHA-256 of the opaque token (it has 256 bits of entropy, so a fast hash is enough). */
  @Unique()
  @Property({ length: 64 })
  tokenHash!: string;

  @Property()
  expiresAt!: Date;

  @Property({ nullable: true })
  usedAt?: Date;

  /** Indexed: the gateway reads the recent revocations of every school (revoked-sessions.route.ts). */
  @Index()
  @Property({ nullable: true })
  revokedAt?: Date;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
