import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * One operation of a first-party client's trusted-document list, as its build published it for
 * one app version (Apollo's persisted-query manifest). The gateway accepts the union over the
 * versions: app builds already installed keep working after a newer one is published.
 */
@Entity({ tableName: 'persisted_operation' })
@Unique({ properties: ['client', 'clientVersion', 'hash'] })
@Index({ properties: ['client', 'hash'] })
export class PersistedOperation {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The client's `apollographql-client-name`. */
  @Property({ length: 100 })
  client!: string;

  /** The app version the manifest was built for (`apollographql-client-version`). */
  @Property({ length: 100 })
  clientVersion!: string;

  /** SHA-256 (hex) of `body`: the manifest's id, what the client sends alone. */
  @Property({ length: 64 })
  hash!: string;

  @Property({ length: 200, nullable: true })
  name?: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ length: 3 })
  createdAt: Date = new Date();
}
