import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Registry } from 'prom-client';
import { openDatabase } from '../db/orm';
import { createLogger } from '../logger';
import type { SubgraphService } from '../subgraph/host';
import { testDatabase, type TestDialect } from '../../testkit/database';
import { eventually } from '../../testkit/eventually';
import { metric } from '../../testkit/metrics';
import { startStack } from '../../testkit/stack';
import { OutboxMessage, outboxEntities, ProcessedMessage } from './outbox';
import { outboxPruneTargets, startPruner, type Pruner } from './pruner';

const logger = createLogger('pruner-test');
const HOUR = 3_600_000;
const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR);
const RETENTION = { outboxHours: 168, processedMessageHours: 720 };

let sequence = Date.now() * 1000;
const outboxRow = (status: 'pending' | 'published', occurredAt: Date) => ({
  id: randomUUID(),
  type: 'test.pruned',
  version: 1,
  tenantId: randomUUID(),
  occurredAt,
  sequence: sequence++,
  payload: '{}',
  status,
  attempts: status === 'published' ? 1 : 3,
  publishedAt: status === 'published' ? occurredAt : undefined,
  createdAt: occurredAt,
});
const processed = (processedAt: Date) => ({ consumer: 'test', messageId: randomUUID(), processedAt });

/** Samples of pruned_rows_total by table. */
async function prunedByTable(registry: Registry): Promise<Record<string, number>> {
  const metricValue = await registry.getSingleMetric('pruned_rows_total')!.get();
  return Object.fromEntries(metricValue.values.map((v) => [v.labels.table, v.value]));
}

describe.each(['mysql', 'sqlite'] as TestDialect[])('retention job on %s', (dialect) => {
  const db = testDatabase(dialect, 'pruner');
  let orm: MikroORM;
  const pruners: Pruner[] = [];

  beforeAll(async () => {
    orm = await openDatabase({
      ...db.options,
      service: 'pruner',
      entities: outboxEntities,
      migrations: { mysql: [], sqlite: [] },
      migrate: false,
      logger,
    });
    await orm.schema.createSchema();
  });
  afterEach(async () => {
    await Promise.all(pruners.splice(0).map((p) => p.stop()));
    await orm.em.fork().nativeDelete(OutboxMessage, {});
    await orm.em.fork().nativeDelete(ProcessedMessage, {});
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  const prune = (registry = new Registry(), intervalMs = 0) => {
    const pruner = startPruner({ orm, logger, registry, targets: outboxPruneTargets(RETENTION), intervalMs, batchSize: 10, pauseMs: 0 });
    pruners.push(pruner);
    return pruner;
  };

  it('deletes sent rows and processed ids past their retention in batches, keeps newer and unsent rows, and counts them', async () => {
    const em = orm.em.fork();
    // 25 old sent rows: three batches of at most 10.
    const oldSent = Array.from({ length: 25 }, (_, i) => outboxRow('published', hoursAgo(169 + i)));
    const recentSent = [outboxRow('published', hoursAgo(167)), outboxRow('published', hoursAgo(1))];
    // Still owed to the broker: kept whatever its age.
    const oldPending = [outboxRow('pending', hoursAgo(24 * 60))];
    await em.insertMany(OutboxMessage, [...oldSent, ...recentSent, ...oldPending]);
    const oldIds = Array.from({ length: 12 }, (_, i) => processed(hoursAgo(721 + i)));
    const recentIds = [processed(hoursAgo(719)), processed(hoursAgo(2))];
    await em.insertMany(ProcessedMessage, [...oldIds, ...recentIds]);

    const registry = new Registry();
    expect(await prune(registry).runOnce()).toEqual({ outbox_message: 25, processed_message: 12 });

    const left = orm.em.fork();
    const outbox = await left.find(OutboxMessage, {}, { orderBy: { occurredAt: 'asc' } });
    expect(outbox.map((r) => r.id).sort()).toEqual([...recentSent, ...oldPending].map((r) => r.id).sort());
    const ids = await left.find(ProcessedMessage, {});
    expect(ids.map((r) => r.messageId).sort()).toEqual(recentIds.map((r) => r.messageId).sort());
    expect(await prunedByTable(registry)).toEqual({ outbox_message: 25, processed_message: 12 });

    // Nothing left to prune: the counter stays.
    expect(await prune(registry).runOnce()).toEqual({ outbox_message: 0, processed_message: 0 });
    expect(await prunedByTable(registry)).toEqual({ outbox_message: 25, processed_message: 12 });
  });

  it('runs on its own schedule until stopped', async () => {
    await orm.em.fork().insertMany(OutboxMessage, [outboxRow('published', hoursAgo(200)), outboxRow('published', hoursAgo(200))]);
    const registry = new Registry();
    const pruner = prune(registry, 20);
    await eventually(async () => expect(await orm.em.fork().count(OutboxMessage, {})).toBe(0));
    expect((await prunedByTable(registry)).outbox_message).toBe(2);
    await pruner.stop();
    // A stopped job deletes nothing more, even when asked.
    await orm.em.fork().insertMany(OutboxMessage, [outboxRow('published', hoursAgo(200))]);
    expect(await pruner.runOnce()).toEqual({ outbox_message: 0, processed_message: 0 });
    expect(await orm.em.fork().count(OutboxMessage, {})).toBe(1);
  });
});

/** The subgraph host runs the job with the shared retention settings and exposes its counter on /metrics. */
describe('retention job of a running subgraph', () => {
  it('prunes the outbox of the users subgraph on its schedule', async () => {
    // 0.001 minutes: a run every 60 ms.
    const stack = await startStack('sqlite', { PRUNE_INTERVAL_MINUTES: '0.001', OUTBOX_RETENTION_HOURS: '1' }, { subgraphs: ['users'] });
    try {
      const users = stack.service<SubgraphService>('users');
      const old = outboxRow('published', hoursAgo(2));
      const fresh = outboxRow('published', new Date());
      await users.orm().em.fork().insertMany(OutboxMessage, [old, fresh]);
      await eventually(async () => expect(await users.orm().em.fork().count(OutboxMessage, { id: old.id })).toBe(0));
      expect(await users.orm().em.fork().count(OutboxMessage, { id: fresh.id })).toBe(1);
      expect(await metric(stack.url('users'), 'pruned_rows_total', { table: 'outbox_message' })).toBeGreaterThanOrEqual(1);
    } finally {
      await stack.stop();
    }
  });
});
