import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * An operation a partner ran through its API key. Unlike usage counts this is a record, kept
 * whatever the usage window (even 0) until an operator retires it: a check refuses any breaking
 * change to a coordinate it uses (check/schema-diff.ts), and no approval overrides that.
 */
@Entity({ tableName: 'partner_operation' })
@Unique({ properties: ['partner', 'operationId'] })
export class PartnerOperation {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ length: 100 })
  partner!: string;

  @Index()
  @Property({ length: 64 })
  operationId!: string;

  @Property({ length: 3 })
  firstSeenAt!: Date;

  @Property({ length: 3 })
  lastSeenAt!: Date;
}
