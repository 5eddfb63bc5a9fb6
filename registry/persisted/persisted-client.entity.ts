import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A first-party client's settings in the registry: whether gateways hold it to its trusted
 * documents (`trustedOnly`). Set by an operator (`PUT /v1/persisted/:client`), read by every
 * gateway at each poll, so marking an app trusted-only needs no gateway redeploy.
 */
@Entity({ tableName: 'persisted_client' })
export class PersistedClient {
  [OptionalProps]?: 'trustedOnly' | 'updatedAt';

  /** The client's `apollographql-client-name`. */
  @PrimaryKey({ length: 100 })
  client!: string;

  /** Gateways accept only the client's registered operations (over HTTP and every subscription transport). */
  @Property({ default: false })
  trustedOnly: boolean = false;

  /** Who set it last (the token's name). */
  @Property({ length: 100, nullable: true })
  updatedBy?: string;

  @Property({ length: 3 })
  updatedAt: Date = new Date();
}
