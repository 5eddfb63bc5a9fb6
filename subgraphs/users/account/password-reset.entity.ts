import { Entity, Index, OptionalProps, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';

/**
 * A password reset token (requestPasswordReset): single use, short-lived, stored as its SHA-256
 * only. The token itself leaves the service once, in the `password.reset.requested` event.
 */
@Entity()
export class PasswordReset extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  /** Indexed: a new request, a reset or a deactivation ends the person's other pending tokens. */
  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  /** SHA-256 of the opaque token (256 bits of entropy: a fast hash is enough). */
  @Unique()
  @Property({ length: 64 })
  tokenHash!: string;

  @Property()
  expiresAt!: Date;

  /** Set when the token was used, or superseded by a newer one: it never works again. */
  @Property({ nullable: true })
  usedAt?: Date;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
