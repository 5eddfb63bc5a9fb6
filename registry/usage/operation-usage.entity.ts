import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * How many sampled executions of an operation one gateway report counted. Rows are summed at
 * check time (no read-modify-write per report) and pruned once older than the usage window.
 */
@Entity({ tableName: 'operation_usage' })
@Index({ properties: ['operationId', 'reportedAt'] })
export class OperationUsage {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 64 })
  operationId!: string;

  /** `apollographql-client-name` of the callers, or "unknown". */
  @Property({ length: 100 })
  client!: string;

  @Property()
  count!: number;

  @Index()
  @Property({ length: 3 })
  reportedAt!: Date;
}
