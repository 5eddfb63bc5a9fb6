import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** An operation gateways have seen, identified by the hash of its document and name. */
@Entity({ tableName: 'operation' })
export class Operation {
  [OptionalProps]?: 'firstSeenAt';

  @PrimaryKey({ length: 64 })
  id!: string;

  /** The operation name clients gave it; null for anonymous operations. */
  @Property({ length: 200, nullable: true })
  name?: string;

  @Property({ length: 3 })
  firstSeenAt: Date = new Date();
}
