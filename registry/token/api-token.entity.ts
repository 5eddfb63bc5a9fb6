import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * A bearer token of the registry API. Only its SHA-256 is stored (the token has 256 bits of
 * entropy, so a fast hash is enough); the plaintext is shown once, when it is created.
 */
@Entity({ tableName: 'api_token' })
export class ApiToken {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Who holds it: "users-ci", "gateway-prod", or the partner's id for partner tokens (their webhooks belong to it). */
  @Index()
  @Property({ length: 100 })
  name!: string;

  /** Space-separated scopes (see scopes.ts). */
  @Property({ length: 100 })
  scopes!: string;

  @Unique()
  @Property({ length: 64 })
  tokenHash!: string;

  /** Name of the token that created this one ("bootstrap" for the admin token from the configuration). */
  @Property({ length: 100 })
  createdBy!: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();

  @Property({ nullable: true })
  revokedAt?: Date;
}
