import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * A partner's API key for the gateway (`X-Api-Key`), not for the registry: it calls `/graphql`
 * within the partner contract, for one school, at its own rate. Only its SHA-256 is stored (256
 * bits of entropy, so a fast hash is enough); the plaintext (`mpk_…`) is shown once. Gateways
 * learn the live keys (hash → partner, school, rate) by polling the registry.
 */
@Entity({ tableName: 'partner_key' })
export class PartnerKey {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The partner (its registry token's name): its usage is reported under this client name. */
  @Index()
  @Property({ length: 100 })
  partner!: string;

  /** The school (slug) the key acts for: the only tenant its calls reach. */
  @Property({ length: 100 })
  school!: string;

  /** Requests per minute this key may send (counted across gateways when they share Redis). */
  @Property()
  ratePerMinute!: number;

  @Unique()
  @Property({ length: 64 })
  keyHash!: string;

  /** Name of the registry token that issued it. */
  @Property({ length: 100 })
  createdBy!: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();

  @Property({ nullable: true })
  revokedAt?: Date;
}
