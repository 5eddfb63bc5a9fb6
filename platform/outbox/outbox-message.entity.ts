import { BigIntType, Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { DomainEvent } from './domain-event';

export type OutboxStatus = 'pending' | 'published';

/**
 * A domain event waiting for (or done with) its publish: written by `recordEvent` in the
 * business transaction, read and marked by the relay. Not tenant-filtered: the relay works
 * across schools; the school travels in `tenantId`.
 */
@Entity({ tableName: 'outbox_message' })
// The relay's scan: pending rows in publish order (rows in backoff are filtered row by row, they are few).
@Index({ properties: ['status', 'occurredAt', 'sequence'] })
export class OutboxMessage {
  [OptionalProps]?: 'status' | 'attempts' | 'createdAt';

  /** The DomainEvent id, sent as the broker message id. */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** The routing key, e.g. `enrollment.created`. */
  @Property({ length: 100 })
  type!: string;

  @Property()
  version!: number;

  @Property({ type: 'uuid' })
  tenantId!: string;

  @Property({ length: 3 })
  occurredAt!: Date;

  /**
   * Breaks ties between events of the same millisecond (two events of one transaction): a
   * per-process counter that never goes backwards, seeded from the clock in microseconds.
   */
  @Property({ type: new BigIntType('number') })
  sequence!: number;

  /** The event payload as JSON text (no JSON columns: MariaDB and SQLite differ). */
  @Property({ type: 'text' })
  payload!: string;

  @Enum({ items: ['pending', 'published'] })
  status: OutboxStatus = 'pending';

  /** Publish attempts so far, successful or not. */
  @Property()
  attempts: number = 0;

  /** The error of the latest failed publish; kept after a later success, for the record. */
  @Property({ type: 'text', nullable: true })
  lastError?: string;

  /** Set after a failed publish: the row waits until then (exponential backoff). Null = now. */
  @Property({ length: 3, nullable: true })
  availableAt?: Date;

  @Property({ length: 3, nullable: true })
  publishedAt?: Date;

  @Property({ length: 3 })
  createdAt: Date = new Date();

  /**
   * The W3C trace context (`traceparent`, 55 characters) of the span that recorded the event,
   * when tracing is on (platform/tracing): the relay publishes the row as a child of it, so the
   * consumers continue the request's trace. A column of its own: the payload is the event's
   * contract with its consumers, and the relay runs long after the request's context is gone.
   */
  @Property({ length: 55, nullable: true })
  traceParent?: string;
}

/** The envelope a row is published in, as consumers receive it. */
export function toDomainEvent<T = unknown>(row: OutboxMessage): DomainEvent<T> {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    tenantId: row.tenantId,
    occurredAt: row.occurredAt.toISOString(),
    payload: JSON.parse(row.payload) as T,
  };
}
