/**
 * Transactional outbox.
 *
 * A domain event is written as an `OutboxMessage` row in the same transaction as the business
 * change (`recordEvent`), so a crash can never keep one without the other. A relay
 * (`startOutboxRelay`) publishes pending rows to the MessageBroker (RabbitMQ: confirmed
 * publish) with the row id as the message id, and marks them sent only after the confirm.
 * Delivery is at-least-once; consumers deduplicate by message id with `handleOnce`, which
 * records the id in the consumer's database in the same transaction as its side effects.
 *
 * Subgraphs that publish or consume add `outboxEntities` to their entity list (and so to their
 * migrations).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { TENANT_FILTER } from '../db/tenant';
import { OutboxMessage, toDomainEvent } from './outbox-message.entity';
import { ProcessedMessage } from './processed-message.entity';
import type { DomainEvent, NewDomainEvent } from './domain-event';
import { activeTraceParent } from '../tracing/propagation';

export { OutboxMessage } from './outbox-message.entity';
export { ProcessedMessage } from './processed-message.entity';
export { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
export { handleOnce } from './handle-once';
export { startPruner, outboxPruneTargets, type Pruner, type PruneTarget } from './pruner';
export type { DomainEvent, NewDomainEvent } from './domain-event';

export const outboxEntities = [OutboxMessage, ProcessedMessage];

/**
 * Events carry ids and small facts, not documents; the cap also keeps both dialects alike
 * (MariaDB's TEXT column holds 64 KiB, SQLite has no limit).
 */
export const MAX_EVENT_PAYLOAD_BYTES = 60_000;

let lastSequence = 0;
/** Never goes backwards within the process, even when the clock does. */
function nextSequence(): number {
  lastSequence = Math.max(lastSequence + 1, Date.now() * 1000);
  return lastSequence;
}

/**
 * Adds the event to `em`'s unit of work: it is written by the caller's flush or transaction,
 * together with the business change, or not at all. Returns the envelope as it will be published.
 */
export function recordEvent<T>(em: EntityManager, event: NewDomainEvent<T>): DomainEvent<T> {
  const scope = em.getFilterParams<{ schoolId?: string }>(TENANT_FILTER)?.schoolId;
  if (scope && scope !== event.tenantId) {
    throw new Error(`event ${event.type} for school ${event.tenantId} recorded in a request of school ${scope}`);
  }
  const payload = JSON.stringify(event.payload);
  if (payload === undefined) throw new Error(`event ${event.type} has no JSON payload`);
  if (Buffer.byteLength(payload) > MAX_EVENT_PAYLOAD_BYTES) {
    throw new Error(`event ${event.type} payload exceeds ${MAX_EVENT_PAYLOAD_BYTES} bytes`);
  }
  const row = em.create(OutboxMessage, {
    id: randomUUID(),
    type: event.type,
    version: event.version ?? 1,
    tenantId: event.tenantId,
    occurredAt: event.occurredAt ?? new Date(),
    sequence: nextSequence(),
    payload,
    // The request's (or consumer's) trace continues through the relay to the consumers.
    traceParent: activeTraceParent(),
  });
  em.persist(row);
  // The payload as consumers will see it (dates become strings, undefined fields vanish).
  return toDomainEvent<T>(row);
}
