import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, type MikroORM } from '@mikro-orm/core';
import { TEST_RETRY_DELAYS_MS } from '../../testkit/contracts/broker';
import { createMemoryBroker } from '../broker/memory-broker';
import type { BrokerMessage, MessageBroker } from '../broker/message-broker';
import { createRabbitBroker } from '../broker/rabbit-broker';
import { openDatabase } from '../db/orm';
import { scopeToTenant, TenantOwned } from '../db/tenant';
import { createLogger } from '../logger';
import { testDatabase, type TestDialect } from '../../testkit/database';
import { eventually } from '../../testkit/eventually';
import { deleteRabbitQueues } from '../../testkit/cleanup';
import { freePort, testServices, uniqueName } from '../../testkit/services';
import {
  handleOnce,
  MAX_EVENT_PAYLOAD_BYTES,
  OutboxMessage,
  outboxEntities,
  recordEvent,
  startOutboxRelay,
  type DomainEvent,
  type OutboxRelay,
} from './outbox';

/** A business row of some tenant, written beside the events. */
@Entity({ tableName: 'outbox_test_note' })
class Note extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 200 })
  text!: string;
}

const logger = createLogger('outbox-test');
const exchange = uniqueName('test_outbox');
const rabbitQueues: string[] = [];

interface Setup {
  name: string;
  dialect: TestDialect;
  /** A working broker; every broker a test opens is closed in afterAll. */
  broker(): MessageBroker;
  /** A broker every publish to fails on. */
  brokenBroker(): Promise<MessageBroker>;
}

const setups: Setup[] = [
  {
    name: 'MariaDB and RabbitMQ',
    dialect: 'mysql',
    broker: () => createRabbitBroker({ url: testServices.amqpUrl, exchange, logger }),
    brokenBroker: async () =>
      createRabbitBroker({ url: `amqp://guest:guest@127.0.0.1:${await freePort()}`, exchange, timeoutMs: 300, logger }),
  },
  {
    name: 'SQLite and the in-process broker',
    dialect: 'sqlite',
    broker: () => createMemoryBroker({ logger }),
    brokenBroker: async () => {
      const broker = createMemoryBroker({ logger });
      await broker.close();
      return broker;
    },
  },
];

afterAll(() => deleteRabbitQueues(rabbitQueues, TEST_RETRY_DELAYS_MS, exchange));

describe.each(setups)('outbox on $name', (setup) => {
  const db = testDatabase(setup.dialect, 'outbox');
  const orms: MikroORM[] = [];
  const brokers: MessageBroker[] = [];
  const relays: OutboxRelay[] = [];
  let orm: MikroORM;
  let broker: MessageBroker;
  let ns: string;

  const open = async () => {
    const opened = await openDatabase({
      ...db.options,
      service: 'outbox',
      entities: [...outboxEntities, Note],
      migrations: { mysql: [], sqlite: [] },
      migrate: false,
      logger,
    });
    orms.push(opened);
    return opened;
  };
  const track = <T extends MessageBroker>(b: T) => (brokers.push(b), b);
  const relay = (opts: Partial<Parameters<typeof startOutboxRelay>[0]> = {}) => {
    const started = startOutboxRelay({ orm, broker, logger, pollIntervalMs: 0, ...opts });
    relays.push(started);
    return started;
  };
  /** Every delivery of this test's events, in arrival order. */
  const listen = async (on: MessageBroker = broker, handler?: (m: BrokerMessage<DomainEvent>) => Promise<void>) => {
    const queue = uniqueName('outbox_q');
    if (setup.dialect === 'mysql') rabbitQueues.push(queue);
    const seen: BrokerMessage<DomainEvent>[] = [];
    await on.consume<DomainEvent>(
      queue,
      async (m) => {
        seen.push(m);
        await handler?.(m);
      },
      { bindings: [`${ns}.#`], retryDelaysMs: TEST_RETRY_DELAYS_MS },
    );
    return seen;
  };
  /** A business change and its event in one transaction, as a service does it. */
  const addNote = (on: MikroORM, tenantId: string, n: number, occurredAt?: Date) =>
    scopeToTenant(on.em.fork(), tenantId).transactional(async (tx) => {
      tx.create(Note, { schoolId: tenantId, text: `${ns}:${n}` });
      return recordEvent(tx, { type: `${ns}.note.added`, tenantId, payload: { n }, occurredAt });
    });
  /** An event with no business row: a consumer's side effect is then the only note. */
  const recordOnly = async (tenantId: string) => {
    const em = orm.em.fork();
    const event = recordEvent(em, { type: `${ns}.note.added`, tenantId, payload: {} });
    await em.flush();
    return event;
  };
  const notes = (on: MikroORM, tenantId: string) => scopeToTenant(on.em.fork(), tenantId).count(Note, { text: { $like: `${ns}:%` } });
  const outboxRow = (id: string) => orm.em.fork().findOneOrFail(OutboxMessage, id);

  beforeAll(async () => {
    orm = await open();
    await orm.schema.createSchema();
    broker = track(setup.broker());
  });

  beforeEach(() => {
    ns = uniqueName('ns');
  });

  // A polling relay left running would publish the next test's rows through its own broker.
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.close()));
    await Promise.all(orms.map((o) => o.close(true)));
    await db.drop();
  });

  it('commits the event with the business change and rolls both back together', async () => {
    const school = randomUUID();
    const committed = await addNote(orm, school, 1);
    expect(await outboxRow(committed.id)).toMatchObject({ status: 'pending', type: `${ns}.note.added`, tenantId: school, version: 1 });

    const em = scopeToTenant(orm.em.fork(), school);
    let rolledBack: DomainEvent | undefined;
    await expect(
      em.transactional(async (tx) => {
        tx.create(Note, { schoolId: school, text: `${ns}:2` });
        rolledBack = recordEvent(tx, { type: `${ns}.note.added`, tenantId: school, payload: { n: 2 } });
        throw new Error('business rule broken after the event was recorded');
      }),
    ).rejects.toThrow('business rule broken');

    // A flush without an explicit transaction is one transaction too: a failing row takes the event with it.
    const { id: takenId } = await scopeToTenant(orm.em.fork(), school).findOneOrFail(Note, { text: `${ns}:1` });
    const plain = scopeToTenant(orm.em.fork(), school);
    plain.create(Note, { id: takenId, schoolId: school, text: `${ns}:3` });
    const failedFlush = recordEvent(plain, { type: `${ns}.note.added`, tenantId: school, payload: { n: 3 } });
    await expect(plain.flush()).rejects.toThrow();

    expect(await notes(orm, school)).toBe(1);
    const ids = [committed.id, rolledBack!.id, failedFlush.id];
    expect((await orm.em.fork().find(OutboxMessage, { id: ids })).map((row) => row.id)).toEqual([committed.id]);
  });

  it('refuses an event for another school than the request, and an oversized payload', () => {
    const em = scopeToTenant(orm.em.fork(), randomUUID());
    expect(() => recordEvent(em, { type: `${ns}.note.added`, tenantId: randomUUID(), payload: {} })).toThrow(
      /recorded in a request of school/,
    );
    const unscoped = orm.em.fork();
    const big = 'x'.repeat(MAX_EVENT_PAYLOAD_BYTES);
    expect(() => recordEvent(unscoped, { type: `${ns}.note.added`, tenantId: randomUUID(), payload: { big } })).toThrow(/exceeds/);
  });

  it('publishes the envelope under the event id, in occurredAt order per school, and marks it published', async () => {
    const seen = await listen();
    const [a, b] = [randomUUID(), randomUUID()];
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 8, minute));
    // Committed out of order; two of them in one transaction at the same instant.
    const events = [
      await addNote(orm, a, 3, at(3)),
      await addNote(orm, b, 2, at(2)),
      await addNote(orm, a, 1, at(1)),
      await addNote(orm, b, 1, at(1)),
    ];
    const sameInstant = await scopeToTenant(orm.em.fork(), a).transactional(async (tx) => [
      recordEvent(tx, { type: `${ns}.note.added`, tenantId: a, payload: { n: 4 }, occurredAt: at(4) }),
      recordEvent(tx, { type: `${ns}.note.added`, tenantId: a, payload: { n: 5 }, occurredAt: at(4) }),
    ]);
    events.push(...sameInstant);

    expect(await relay().drain()).toBeGreaterThanOrEqual(events.length);
    await eventually(() => expect(seen).toHaveLength(events.length));

    for (const event of events) {
      const delivered = seen.find((m) => m.id === event.id);
      expect(delivered).toMatchObject({ routingKey: event.type, payload: event });
      expect(await outboxRow(event.id)).toMatchObject({ status: 'published', attempts: 1, publishedAt: expect.any(Date) });
    }
    const order = (school: string) => seen.filter((m) => m.payload.tenantId === school).map((m) => (m.payload.payload as { n: number }).n);
    expect(order(a)).toEqual([1, 3, 4, 5]);
    expect(order(b)).toEqual([1, 2]);
  });

  it('publishes, after a restart, an event committed by a process that died before publishing', async () => {
    const school = randomUUID();
    // The writer commits and goes away with no relay ever running. A SIGKILLed process would leave
    // exactly this behind, since the relay keeps no state outside the database: the committed rows.
    // A fresh ORM, broker and relay play the restarted process.
    const writer = await open();
    const event = await addNote(writer, school, 1);
    await writer.close(true);

    const restarted = await open();
    const freshBroker = track(setup.broker());
    const seen = await listen(freshBroker);
    relays.push(startOutboxRelay({ orm: restarted, broker: freshBroker, logger }));
    await eventually(() => expect(seen.map((m) => m.payload)).toEqual([event]));
    expect(await notes(restarted, school)).toBe(1);
  });

  it('keeps a row whose publish failed pending, with its error, until its backoff has passed', async () => {
    const failing = relay({ broker: track(await setup.brokenBroker()), retryDelayMs: 60_000 });
    const event = await addNote(orm, randomUUID(), 1);
    const failedAt = Date.now();
    expect(await failing.drain()).toBe(0);
    const row = await outboxRow(event.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/timed out|broker closed/) });
    expect(row.availableAt!.getTime()).toBeGreaterThanOrEqual(failedAt + 60_000);
    // Not due yet, for this relay or any other.
    expect(await relay().drain()).toBe(0);
    expect((await outboxRow(event.id)).attempts).toBe(1);
    await orm.em.fork().nativeDelete(OutboxMessage, { id: event.id });
  });

  it('publishes a row whose publish failed once the broker works', async () => {
    const seen = await listen();
    const failing = relay({ broker: track(await setup.brokenBroker()), retryDelayMs: 50 });
    const event = await addNote(orm, randomUUID(), 1);
    expect(await failing.drain()).toBe(0);
    await failing.stop();

    relays.push(startOutboxRelay({ orm, broker, logger, pollIntervalMs: 20 }));
    await eventually(() => expect(seen.map((m) => m.id)).toEqual([event.id]));
    // The consumer may see the message before the relay has committed its mark.
    await eventually(async () =>
      expect(await outboxRow(event.id)).toMatchObject({ status: 'published', attempts: 2, lastError: expect.any(String) }),
    );
  });

  it('republishes a row whose mark was lost, and handleOnce applies it once', async () => {
    const consumer = uniqueName('consumer');
    const applied: boolean[] = [];
    const seen = await listen(broker, async (m) => {
      const em = scopeToTenant(orm.em.fork(), m.payload.tenantId);
      applied.push(
        await handleOnce(em, consumer, m.id, async (tx) => void tx.create(Note, { schoolId: m.payload.tenantId, text: `${ns}:applied` })),
      );
    });
    const school = randomUUID();
    const event = await recordOnly(school);
    await relay().drain();
    await eventually(() => expect(applied).toEqual([true]));

    // As if the relay died between the broker's confirm and its commit.
    await orm.em.fork().nativeUpdate(OutboxMessage, { id: event.id }, { status: 'pending', publishedAt: null });
    await relay().drain();
    await eventually(() => expect(applied).toEqual([true, false]));
    expect(seen.map((m) => m.id)).toEqual([event.id, event.id]);
    expect(await scopeToTenant(orm.em.fork(), school).count(Note, { text: `${ns}:applied` })).toBe(1);
  });

  if (setup.dialect === 'mysql') {
    it('publishes every row once with two relays draining concurrently (SKIP LOCKED)', async () => {
      const seen = await listen();
      const schools = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const em = orm.em.fork();
      const ids = Array.from(
        { length: 200 },
        (_, i) => recordEvent(em, { type: `${ns}.note.added`, tenantId: schools[i % 4], payload: { i } }).id,
      );
      await em.flush();

      // Separate ORMs: separate connection pools, as two replicas have.
      const [first, second] = [relay({ orm: await open(), batchSize: 10 }), relay({ orm: await open(), batchSize: 10 })];
      const published = await Promise.all([first.drain(), second.drain()]);
      expect(published[0] + published[1]).toBe(200);

      // Everything published before the sentinel is delivered before it (one queue, one consumer).
      await broker.publish(`${ns}.sentinel`, null);
      await eventually(() => expect(seen.some((m) => m.routingKey === `${ns}.sentinel`)).toBe(true));
      const delivered = seen.filter((m) => m.routingKey !== `${ns}.sentinel`).map((m) => m.id);
      expect(delivered).toHaveLength(200);
      expect(new Set(delivered)).toEqual(new Set(ids));
    });
  }

  describe('handleOnce', () => {
    const sideEffects = (school: string) => scopeToTenant(orm.em.fork(), school).count(Note, { text: `${ns}:effect` });
    const apply = (school: string, consumer: string, id: string, before?: () => Promise<void>) =>
      handleOnce(scopeToTenant(orm.em.fork(), school), consumer, id, async (tx) => {
        await before?.();
        tx.create(Note, { schoolId: school, text: `${ns}:effect` });
      });

    it('applies a message delivered twice once, and per consumer', async () => {
      const school = randomUUID();
      const id = randomUUID();
      expect(await apply(school, 'reports', id)).toBe(true);
      expect(await apply(school, 'reports', id)).toBe(false);
      expect(await sideEffects(school)).toBe(1);
      // Another consumer of the same message has its own record.
      expect(await apply(school, 'notifications', id)).toBe(true);
      expect(await sideEffects(school)).toBe(2);
    });

    it('applies concurrent deliveries of the same message once', async () => {
      const school = randomUUID();
      const id = randomUUID();
      // The winner holds its transaction open until the four others are blocked on its row: they truly overlap.
      const othersWaiting = setup.dialect === 'mysql' ? () => eventually(async () => expect(await blockedClaims(orm)).toBe(4)) : undefined;
      const results = await Promise.all(Array.from({ length: 5 }, () => apply(school, 'reports', id, othersWaiting)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await sideEffects(school)).toBe(1);
    });

    it('records nothing when the handler fails, so the redelivery runs it', async () => {
      const school = randomUUID();
      const id = randomUUID();
      const failing = handleOnce(scopeToTenant(orm.em.fork(), school), 'reports', id, async (tx) => {
        tx.create(Note, { schoolId: school, text: `${ns}:effect` });
        await tx.flush();
        throw new Error('downstream unavailable');
      });
      await expect(failing).rejects.toThrow('downstream unavailable');
      expect(await sideEffects(school)).toBe(0);
      expect(await apply(school, 'reports', id)).toBe(true);
      expect(await sideEffects(school)).toBe(1);
    });

    it("rethrows the handler's own unique-key violation instead of taking it for a duplicate", async () => {
      const school = randomUUID();
      const em = scopeToTenant(orm.em.fork(), school);
      const existing = em.create(Note, { schoolId: school, text: `${ns}:existing` });
      await em.flush();
      const clash = handleOnce(scopeToTenant(orm.em.fork(), school), 'reports', randomUUID(), async (tx) => {
        await tx.insert(Note, { id: existing.id, schoolId: school, text: `${ns}:clash` });
      });
      await expect(clash).rejects.toThrow(/duplicate|unique/i);
    });
  });

  /**
   * Connections of this database stuck in the insert of a ProcessedMessage (MariaDB): on a row
   * locked by an open transaction, nothing else keeps an insert of one row running.
   */
  async function blockedClaims(on: MikroORM): Promise<number> {
    const [row] = await on.em
      .fork()
      .getConnection()
      .execute<{ blocked: number }[]>(
        `select count(*) as blocked from information_schema.processlist
         where db = database() and command = 'Query' and info like 'insert into \`processed_message\`%'`,
      );
    return Number(row.blocked);
  }
});
