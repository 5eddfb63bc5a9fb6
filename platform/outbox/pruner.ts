import type { EntityName, FilterQuery, MikroORM } from '@mikro-orm/core';
import { Counter, type Registry } from 'prom-client';
import { serialQueue } from '../async';
import type { Logger } from '../logger';
import { OutboxMessage } from './outbox-message.entity';
import { ProcessedMessage } from './processed-message.entity';

/** Rows of one table that go once they are older than the retention. */
export interface PruneTarget<T extends object = any> {
  /** The table, as `pruned_rows_total{table}` labels it. */
  table: string;
  entity: EntityName<T>;
  /**
   * The row's age: a date column that is indexed (alone, or right after the columns `where`
   * fixes by equality), so that every batch below is a short index range, not a table scan.
   */
  column: string;
  retentionHours: number;
  /** Which rows may go at all, besides their age (only published ones, say); equalities only. */
  where?: FilterQuery<T>;
}

export interface PrunerOptions {
  /** The service's ORM; every batch works on a fresh fork. */
  orm: MikroORM;
  logger: Logger;
  targets: PruneTarget[];
  /** Pause between two runs; 0 = never on its own (`runOnce()` only). */
  intervalMs: number;
  /** Rows one delete statement removes at most. */
  batchSize: number;
  /** The service's metrics registry, for `pruned_rows_total{table}`. */
  registry?: Registry;
  /** Pause between two batches, so writers waiting on the same index pages get in between. Default 20 ms. */
  pauseMs?: number;
}

export interface Pruner {
  /** Prunes every target now (after a run in flight); resolves with the rows deleted per table. */
  runOnce(): Promise<Record<string, number>>;
  /** Stops the schedule and waits for the batch in flight (later batches of that run are skipped). */
  stop(): Promise<void>;
}

const METRIC = 'pruned_rows_total';

function prunedCounter(registry?: Registry): Counter<'table'> | undefined {
  if (!registry) return undefined;
  return (
    (registry.getSingleMetric(METRIC) as Counter<'table'> | undefined) ??
    new Counter({
      name: METRIC,
      help: 'Rows deleted by the retention job, by table',
      labelNames: ['table'] as const,
      registers: [registry],
    })
  );
}

/**
 * The retention job: bookkeeping tables (sent outbox rows, processed-message ids, webhook
 * deliveries) would otherwise grow for ever. Each run deletes, per target, the rows older than
 * its retention in batches of at most `batchSize`: one short autocommitted statement per batch
 * over an index range of old rows, so new rows (at the other end of that index) are never
 * locked and no statement runs long. Replicas may run it at the same time: deleting twice is
 * harmless.
 */
export function startPruner(opts: PrunerOptions): Pruner {
  const { orm, logger, targets, batchSize } = opts;
  const pauseMs = opts.pauseMs ?? 20;
  const counter = prunedCounter(opts.registry);
  const exclusive = serialQueue();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  /** One bounded delete of the oldest rows; returns how many went. */
  const batch = async (target: PruneTarget, cutoff: Date): Promise<number> => {
    const em = orm.em.fork();
    const old = { ...target.where, [target.column]: { $lt: cutoff } } as FilterQuery<object>;
    // The batchSize-th oldest row bounds the batch: "up to its age" is an index range of
    // batchSize rows (plus any sharing its exact timestamp), portable to SQLite, whose DELETE
    // has no LIMIT, and without a list of composite keys.
    const [edge] = await em.find(target.entity, old, {
      orderBy: { [target.column]: 'asc' },
      offset: batchSize - 1,
      limit: 1,
      fields: [target.column] as never,
    });
    const upTo = edge ? { $lte: (edge as Record<string, unknown>)[target.column] } : { $lt: cutoff };
    return em.nativeDelete(target.entity, { ...target.where, [target.column]: upTo } as FilterQuery<object>);
  };

  const prune = async (target: PruneTarget): Promise<number> => {
    const cutoff = new Date(Date.now() - target.retentionHours * 3_600_000);
    let total = 0;
    while (!stopped) {
      const deleted = await batch(target, cutoff);
      total += deleted;
      counter?.inc({ table: target.table }, deleted);
      if (deleted < batchSize) break;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    return total;
  };

  const runNow = async (): Promise<Record<string, number>> => {
    const deleted: Record<string, number> = {};
    for (const target of targets) deleted[target.table] = (deleted[target.table] ?? 0) + (await prune(target));
    if (Object.values(deleted).some(Boolean)) logger.info({ deleted }, 'pruned rows past their retention');
    return deleted;
  };

  const schedule = (ms: number) => {
    if (stopped || opts.intervalMs <= 0) return;
    timer = setTimeout(() => {
      void exclusive(runNow)
        // The database is unreachable or similar: the next run tries again.
        .catch((err) => logger.error({ err }, 'pruning failed'))
        .finally(() => schedule(opts.intervalMs));
    }, ms);
    // Never the reason a process stays up.
    timer.unref();
  };
  // The first run soon after start, so that services restarted more often than the interval prune too.
  schedule(Math.min(opts.intervalMs, 60_000));

  return {
    runOnce: () => exclusive(runNow),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await exclusive(async () => undefined);
    },
  };
}

/** Sent outbox rows and processed-message ids of a subgraph's outbox (platform/outbox). */
export function outboxPruneTargets(retention: { outboxHours: number; processedMessageHours: number }): PruneTarget[] {
  return [
    // Published only: a pending row is an event still owed to the broker, whatever its age. Its
    // age is when the event happened (the relay's index: status, occurred_at).
    {
      table: 'outbox_message',
      entity: OutboxMessage,
      where: { status: 'published' },
      column: 'occurredAt',
      retentionHours: retention.outboxHours,
    },
    { table: 'processed_message', entity: ProcessedMessage, column: 'processedAt', retentionHours: retention.processedMessageHours },
  ];
}
