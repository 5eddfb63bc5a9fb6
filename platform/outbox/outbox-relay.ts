import { SpanKind } from '@opentelemetry/api';
import { IsolationLevel, LockMode, type EntityManager, type FilterQuery, type MikroORM } from '@mikro-orm/core';
import { BaseSqlitePlatform } from '@mikro-orm/better-sqlite';
import { serialQueue } from '../async';
import { errorText } from '../broker/delivery-policy';
import type { MessageBroker } from '../broker/message-broker';
import type { Logger } from '../logger';
import { OutboxMessage, toDomainEvent } from './outbox-message.entity';
import { contextFromTraceParent } from '../tracing/propagation';
import { inSpan, MessagingAttributes } from '../tracing/spans';
import { tracingOn } from '../tracing/tracing';

export interface OutboxRelayOptions {
  /** The service's ORM; the relay works on forks of it. */
  orm: MikroORM;
  broker: MessageBroker;
  logger: Logger;
  /** Pause between scans once nothing is due. 0 turns polling off: only `drain()` publishes. Default 200 ms. */
  pollIntervalMs?: number;
  /** Rows claimed per transaction (and locked meanwhile, on MySQL). Default 100. */
  batchSize?: number;
  /** Wait before retrying a failed publish; doubles with every further failure of the row. Default 1000 ms. */
  retryDelayMs?: number;
  /** Upper bound of that wait. Default 60000 ms. */
  maxRetryDelayMs?: number;
}

export interface OutboxRelay {
  /**
   * Publishes every row due now, batch after batch, until none is left or a publish failed;
   * resolves with the number published. For tests and shutdown; never overlaps a scan.
   */
  drain(): Promise<number>;
  /** Stops polling and waits for the batch in flight (the caller closes broker and ORM after). */
  stop(): Promise<void>;
}

/**
 * Publishes the outbox: rows in `occurredAt` order, each under its event id with the event type
 * as routing key, marked published only once the broker confirmed it. A failed publish keeps the
 * row pending with its error, retried after an exponential backoff.
 *
 * Replicas: on MySQL/MariaDB a batch is claimed with `SELECT … FOR UPDATE SKIP LOCKED` and the
 * transaction stays open until the batch is marked, so concurrent relays take disjoint rows and
 * nothing is published twice in the normal case. SQLite has a single writer and no row locks:
 * run one relay per SQLite database (embedded mode has one process).
 *
 * At-least-once: a crash after the confirm and before the mark commits republishes the batch
 * under the same ids on the next run; consumers deduplicate with `handleOnce`. Per school, events
 * go out in `occurredAt` order within one relay on the happy path; a failed row is retried after
 * its successors, and rows of one school claimed by two replicas may interleave.
 */
export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const { orm, broker, logger } = opts;
  const pollIntervalMs = opts.pollIntervalMs ?? 200;
  const batchSize = opts.batchSize ?? 100;
  const retryDelayMs = opts.retryDelayMs ?? 1_000;
  const maxRetryDelayMs = opts.maxRetryDelayMs ?? 60_000;
  const rowLocks = !(orm.em.getPlatform() instanceof BaseSqlitePlatform);

  const due = (): FilterQuery<OutboxMessage> => ({
    status: 'pending',
    $or: [{ availableAt: null }, { availableAt: { $lte: new Date() } }],
  });

  const claim = (em: EntityManager) =>
    em.find(OutboxMessage, due(), {
      orderBy: { occurredAt: 'asc', sequence: 'asc' },
      limit: batchSize,
      lockMode: rowLocks ? LockMode.PESSIMISTIC_PARTIAL_WRITE : undefined,
    });

  /** Publishes the claimed rows and updates them in the unit of work; returns how many went out. */
  const publish = async (rows: OutboxMessage[]): Promise<number> => {
    // All at once: one confirm channel keeps their order on the wire, and the confirms come back together.
    const send = (row: OutboxMessage) => broker.publish(row.type, toDomainEvent(row), { id: row.id });
    const results = await Promise.allSettled(rows.map((row) => (tracingOn() ? publishInSpan(row, send) : send(row))));
    const now = new Date();
    let published = 0;
    results.forEach((result, i) => {
      const row = rows[i];
      row.attempts += 1;
      if (result.status === 'fulfilled') {
        row.status = 'published';
        row.publishedAt = now;
        published += 1;
        return;
      }
      const delay = Math.min(retryDelayMs * 2 ** (row.attempts - 1), maxRetryDelayMs);
      row.lastError = errorText(result.reason);
      row.availableAt = new Date(now.getTime() + delay);
      logger.warn({ err: result.reason, id: row.id, type: row.type, attempts: row.attempts, retryInMs: delay }, 'outbox publish failed');
    });
    return published;
  };

  const batch = async (): Promise<{ claimed: number; published: number }> => {
    const em = orm.em.fork();
    if (rowLocks) {
      // READ COMMITTED: the claim locks the rows it returns and no gaps, so requests inserting new
      // events while a batch is being published neither wait for it nor deadlock with it.
      return em.transactional(
        async (tx) => {
          const rows = await claim(tx);
          return { claimed: rows.length, published: await publish(rows) };
        },
        { isolationLevel: IsolationLevel.READ_COMMITTED },
      );
    }
    // No transaction around the publish: SQLite's one connection would block every request meanwhile.
    const rows = await claim(em);
    const published = await publish(rows);
    await em.flush();
    return { claimed: rows.length, published };
  };

  const drainNow = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const { claimed, published } = await batch();
      total += published;
      // Nothing due (or all of it locked by another relay, which publishes it), or the broker is failing.
      if (claimed === 0 || published < claimed) return total;
    }
  };

  // One scan at a time: on SQLite two overlapping scans would publish the same rows.
  const exclusive = serialQueue();

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    timer = undefined;
    try {
      const published = await exclusive(drainNow);
      if (published) logger.debug({ published }, 'outbox published');
    } catch (err) {
      // The database is unreachable or similar: the rows stay pending for the next scan.
      logger.error({ err }, 'outbox scan failed');
    }
    if (!stopped) timer = setTimeout(poll, pollIntervalMs);
  };
  if (pollIntervalMs > 0) void poll();

  return {
    drain: () => exclusive(drainNow),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // Waits for the scan in flight and any drain queued behind it.
      await exclusive(async () => undefined);
    },
  };
}

/**
 * A publish as a producer span under the trace the row was recorded in (a root one when it was
 * recorded outside any); the broker puts this span's context in the message headers.
 */
function publishInSpan(row: OutboxMessage, send: (row: OutboxMessage) => Promise<string>): Promise<string> {
  return inSpan(
    'outbox',
    `${row.type} publish`,
    SpanKind.PRODUCER,
    contextFromTraceParent(row.traceParent),
    {
      [MessagingAttributes.operation]: 'send',
      [MessagingAttributes.destination]: row.type,
      [MessagingAttributes.messageId]: row.id,
      'outbox.attempt': row.attempts + 1,
    },
    () => send(row),
  );
}
