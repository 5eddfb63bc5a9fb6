import { Entity, OptionalProps, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../../../platform/db/tenant';
import { User } from '../user/user.entity';

/** A short-lived code a student (or admin) hands to a parent, who redeems it to link (Canvas observer pairing). */
@Entity()
export class PairingCode extends TenantOwned {
  [OptionalProps]?: 'createdAt';

  /** SHA-256 of the code: a database leak does not reveal live codes. */
  @Unique()
  @Property({ length: 64 })
  codeHash!: string;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  student!: User;

  @Property({ type: 'uuid' })
  createdById!: string;

  @Property()
  expiresAt!: Date;

  @Property({ nullable: true })
  usedAt?: Date;

  @Property({ type: 'uuid', nullable: true })
  usedById?: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
