import type Redis from 'ioredis';
import { GraphQLError } from 'graphql';
import { createLogger } from '../../platform/logger';
import { createRedisClient, closeRedisClient } from '../../platform/redis';
import { eventually } from '../../testkit/eventually';
import { startRedisServer, type OwnRedis } from '../../testkit/redis-server';
import { uniqueName } from '../../testkit/services';
import { configuredSchoolLimits, createSchoolRequestLimiter } from '../edge/school-limits';
import type { Tenant } from '../edge/tenant';
import { SchoolSubscriptions, type ReleaseSlot } from './school-subscriptions';

const logger = createLogger('school-subscriptions-test');
const demo: Tenant = { id: 'school-demo', slug: 'demo' };
const nile: Tenant = { id: 'school-nile', slug: 'nile' };

/**
 * The per-school limits against a redis-server of this file's own (stopped and started again):
 * several gateways (each a SchoolSubscriptions with its own Redis connection) share one count per
 * school; a gateway that dies stops counting when its lease lapses; with Redis away each counts
 * in process and nothing fails; the request rate likewise.
 */
describe('per-school limits across gateways', () => {
  let server: OwnRedis;
  const clients: Redis[] = [];
  const gateways: SchoolSubscriptions[] = [];

  beforeAll(async () => {
    server = await startRedisServer({ persist: false });
  });
  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((g) => g.close()));
    await Promise.all(clients.splice(0).map((c) => closeRedisClient(c)));
  });
  afterAll(() => server?.close());

  const ready = (redis: Redis) => eventually(() => expect(redis.status).toBe('ready'));
  const connect = () => {
    const redis = createRedisClient(server.url, logger, 'test');
    clients.push(redis);
    return redis;
  };
  /** A gateway's counter, once its Redis connection is up. */
  const gateway = async (maxSubscriptions: number, prefix: string, opts: { redis?: Redis; leaseMs?: number; gatewayId?: string } = {}) => {
    const redis = 'redis' in opts ? opts.redis : connect();
    if (redis) await ready(redis);
    const g = new SchoolSubscriptions({
      limits: configuredSchoolLimits({ requestsPerMinute: 1000, maxSubscriptions }),
      redis,
      redisPrefix: prefix,
      logger,
      leaseMs: opts.leaseMs,
      gatewayId: opts.gatewayId,
    });
    gateways.push(g);
    return g;
  };
  const taken = async (g: SchoolSubscriptions, school: Tenant): Promise<ReleaseSlot> => {
    const slot = await g.acquire(school);
    if (slot instanceof GraphQLError) throw new Error(`refused: ${slot.message}`);
    return slot;
  };
  const refused = async (g: SchoolSubscriptions, school: Tenant) => {
    const slot = await g.acquire(school);
    expect(slot).toBeInstanceOf(GraphQLError);
    return slot as GraphQLError;
  };

  it('shares one count per school between two gateways, and another school is unaffected', async () => {
    const prefix = `${uniqueName('slots')}:`;
    const [a, b] = await Promise.all([gateway(3, prefix), gateway(3, prefix)]);
    const held = [await taken(a, demo), await taken(a, demo), await taken(b, demo)];
    const refusal = await refused(b, demo);
    expect(refusal.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
    expect(refusal.message).toBe('This school has reached its limit of 3 live subscriptions');
    await refused(a, demo);
    // Nile has slots of its own, on both gateways.
    await taken(a, nile);
    await taken(b, nile);

    // A slot given back on one gateway is free for the other, and releasing twice frees one.
    held[0]();
    held[0]();
    await eventually(async () => {
      const slot = await b.acquire(demo);
      expect(slot).not.toBeInstanceOf(GraphQLError);
    });
    await refused(a, demo);
    expect([a.localCount(demo.id), b.localCount(demo.id)]).toEqual([1, 2]);
  });

  it('lets many concurrent subscribes on several gateways take exactly the limit', async () => {
    const prefix = `${uniqueName('slots')}:`;
    const fleet = await Promise.all([gateway(10, prefix), gateway(10, prefix), gateway(10, prefix)]);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => fleet[i % 3].acquire(demo)));
    expect(answers.filter((a) => !(a instanceof GraphQLError))).toHaveLength(10);
    expect(fleet.reduce((sum, g) => sum + g.localCount(demo.id), 0)).toBe(10);
  });

  it("takes a burst's slots in one Redis call per turn: the first ones in order get what the other gateways leave", async () => {
    const prefix = `${uniqueName('slots')}:`;
    const redis = connect();
    const probe = connect();
    const [a, b] = await Promise.all([gateway(10, prefix, { redis, gatewayId: 'gw-a' }), gateway(10, prefix, { gatewayId: 'gw-b' })]);
    await ready(probe);
    for (let i = 0; i < 3; i++) await taken(b, demo);
    const calls = jest.spyOn(redis as Redis & { schoolSlotsAcquire: (...args: unknown[]) => Promise<number> }, 'schoolSlotsAcquire');
    // Twelve subscribes at once (a class connecting): one call takes the 7 slots b leaves.
    const burst = await Promise.all(Array.from({ length: 12 }, () => a.acquire(demo)));
    expect(burst.map((slot) => !(slot instanceof GraphQLError))).toEqual([...Array(7).fill(true), ...Array(5).fill(false)]);
    expect(calls).toHaveBeenCalledTimes(1);
    expect(calls.mock.calls[0].slice(3)).toEqual([12, 10, 30_000, 12]);
    expect(a.localCount(demo.id)).toBe(7);
    expect(await probe.hget(`${prefix}school-subs:${demo.id}`, 'gw-a')).toBe('7');
    await refused(b, demo);

    // Acquires made while a call is out wait for it, then go together: nile's 3 in a second call.
    const first = a.acquire(nile);
    await new Promise((resolve) => setImmediate(resolve));
    const next = Array.from({ length: 3 }, () => a.acquire(nile));
    await Promise.all([first, ...next]);
    expect(calls.mock.calls.slice(1).map((call) => call[6])).toEqual([1, 3]);
    expect(a.localCount(nile.id)).toBe(4);

    // Given back, every slot is free again for the other gateway.
    for (const slot of burst) if (!(slot instanceof GraphQLError)) slot();
    await eventually(async () => expect(await probe.hget(`${prefix}school-subs:${demo.id}`, 'gw-a')).toBeNull());
    for (let i = 0; i < 7; i++) await taken(b, demo);
    await refused(b, demo);
  });

  it('stops counting the slots of a gateway that died once its lease lapses; one that shuts down gives them back at once', async () => {
    const prefix = `${uniqueName('slots')}:`;
    const doomedRedis = connect();
    const doomed = await gateway(2, prefix, { redis: doomedRedis, leaseMs: 300 });
    await taken(doomed, demo);
    await taken(doomed, demo);
    const survivor = await gateway(2, prefix, { leaseMs: 300 });
    await refused(survivor, demo);
    // Killed: no release, no heartbeat.
    doomedRedis.disconnect();
    await eventually(async () => expect(await survivor.acquire(demo)).not.toBeInstanceOf(GraphQLError));

    const leaving = await gateway(2, prefix);
    await taken(leaving, nile);
    await taken(leaving, nile);
    await refused(survivor, nile);
    await leaving.close();
    await taken(survivor, nile);
  });

  it('counts in process while Redis is stopped, never failing a subscribe, and writes the count back once it is up', async () => {
    const prefix = `${uniqueName('slots')}:`;
    const redis = connect();
    const probe = connect();
    const g = await gateway(2, prefix, { redis, leaseMs: 600, gatewayId: 'gw-1' });
    await ready(probe);
    const first = await taken(g, demo);
    expect(await probe.hget(`${prefix}school-subs:${demo.id}`, 'gw-1')).toBe('1');

    await server.stop();
    // The command in flight when Redis went away, and those after, are answered in process.
    const second = await taken(g, demo);
    await refused(g, demo);
    await taken(g, nile);
    first();
    const third = await taken(g, demo);
    expect(g.localCount(demo.id)).toBe(2);

    await server.start();
    await ready(probe);
    await eventually(async () => {
      expect(await probe.hget(`${prefix}school-subs:${demo.id}`, 'gw-1')).toBe('2');
      expect(await probe.hget(`${prefix}school-subs:${nile.id}`, 'gw-1')).toBe('1');
    });
    // Back on the shared count.
    await refused(g, demo);
    second();
    third();
    await eventually(async () => expect(await probe.hget(`${prefix}school-subs:${demo.id}`, 'gw-1')).toBeNull());
  });

  it('counts only in process without Redis', async () => {
    const g = await gateway(1, 'none:', { redis: undefined });
    const slot = await taken(g, demo);
    await refused(g, demo);
    await taken(g, nile);
    slot();
    await taken(g, demo);
  });

  it('limits the request rate per school, with the wait, and keeps answering while Redis is stopped', async () => {
    const redis = connect();
    await ready(redis);
    const limiter = createSchoolRequestLimiter(
      (school) => ({ requestsPerMinute: school.id === nile.id ? 5 : 3, maxSubscriptions: 1 }),
      redis,
      `${uniqueName('rate')}:`,
    );
    for (let i = 0; i < 3; i++) await limiter.consume(demo);
    const error = await limiter.consume(demo).catch((err: GraphQLError) => err);
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect((error as GraphQLError).extensions.retryAfterSeconds).toBeGreaterThan(0);
    // Another school, with its own limit (a plan), is unaffected.
    for (let i = 0; i < 5; i++) await limiter.consume(nile);
    await expect(limiter.consume(nile)).rejects.toThrow('This school has made too many requests');

    await server.stop();
    const other: Tenant = { id: 'school-other', slug: 'other' };
    for (let i = 0; i < 3; i++) await limiter.consume(other);
    await expect(limiter.consume(other)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await server.start();
  });
});
