import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A message a consumer has applied, written in the same transaction as its side effects
 * (`handleOnce`): the primary key turns a second delivery of the same message into a
 * unique-key violation instead of a second side effect.
 */
@Entity({ tableName: 'processed_message' })
export class ProcessedMessage {
  /** The consumer's name (one service may run several consumers on one database). */
  @PrimaryKey({ length: 100 })
  consumer!: string;

  /** The broker message id (the outbox row id for domain events). */
  @PrimaryKey({ length: 100 })
  messageId!: string;

  /** Indexed so that pruning (pruner.ts) finds old ids without scanning the table. */
  @Index()
  @Property({ length: 3 })
  processedAt!: Date;
}
