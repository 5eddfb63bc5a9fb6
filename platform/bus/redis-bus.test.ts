import { Redis } from 'ioredis';
import { deleteRedisKeys } from '../../testkit/cleanup';
import { testServices, uniqueName } from '../../testkit/services';
import { eventually } from '../../testkit/eventually';
import { startRedisServer, type OwnRedis } from '../../testkit/redis-server';
import { describeEventBusContract } from '../../testkit/contracts/bus';
import { BusUnavailableError, publishSoon, type BusEvent, type EventBus } from './event-bus';
import { compareIds } from './ids';
import { createRedisBus } from './redis-bus';

const keyPrefix = `${uniqueName('test')}:`;
const admin = new Redis(testServices.redisUrl);

afterAll(async () => {
  await deleteRedisKeys(keyPrefix);
  await admin.quit();
});

describeEventBusContract('redis', {
  create: (opts) => createRedisBus({ url: testServices.redisUrl, keyPrefix, ...opts }),
  async upstreams(topic) {
    const [, count] = (await admin.pubsub('NUMSUB', `${keyPrefix}bus:${topic}`)) as [string, number];
    return count;
  },
});

describe('redis bus', () => {
  it('stores each topic in its own stream with ids from Redis', async () => {
    const bus = createRedisBus({ url: testServices.redisUrl, keyPrefix });
    const topic = uniqueName('stream');
    const id = await bus.publish(topic, { hello: 'world' });
    const entries = await admin.xrange(`${keyPrefix}bus:${topic}`, '-', '+');
    expect(entries).toEqual([[id, ['data', '{"hello":"world"}']]]);
    await bus.close();
  });
});

describe('redis bus resilience', () => {
  let redis: OwnRedis;
  const buses: EventBus[] = [];
  const open = () => {
    const bus = createRedisBus({ url: redis.url });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    // Like the shared test Redis: no persistence, so a kill loses the streams.
    redis = await startRedisServer({ persist: false });
  });

  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await redis.close();
  });

  it('survives a Redis restart: publish waits, the subscriber catches up without duplicates', async () => {
    const bus = open();
    const topic = uniqueName('restart');
    const seen: BusEvent[] = [];
    await bus.subscribe(topic, (e) => void seen.push(e));
    const first = await bus.publish(topic, 'before');
    await eventually(() => expect(seen.map((e) => e.data)).toEqual(['before']));

    await redis.stop({ kill: true });
    await eventually(async () => expect(await bus.ping()).toBe(false));
    let settled = false;
    const during = bus.publish(topic, 'during').finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Neither appended (there is no server) nor given up: it waits for Redis to come back.
    expect(settled).toBe(false);
    await redis.start();

    const duringId = await during;
    const afterId = await bus.publish(topic, 'after');
    await eventually(() => expect(seen.map((e) => e.data)).toEqual(['before', 'during', 'after']));
    expect(seen.map((e) => e.id)).toEqual([first, duringId, afterId]);
    expect(compareIds(duringId, first)).toBeGreaterThan(0);
    expect(await bus.ping()).toBe(true);
  });

  it('catches up on events published by others while its subscription was cut', async () => {
    const publisher = open();
    const subscriber = open();
    const topic = uniqueName('cut');
    const seen: BusEvent[] = [];
    await subscriber.subscribe(topic, (e) => void seen.push(e));
    await publisher.publish(topic, 0);
    await eventually(() => expect(seen).toHaveLength(1));

    const killer = new Redis(redis.url);
    await killer.client('KILL', 'TYPE', 'pubsub');
    // Published while the subscriber reconnects: pub/sub drops them, the catch-up reads them.
    for (let i = 1; i <= 20; i++) await publisher.publish(topic, i);
    await killer.quit();

    await eventually(() => expect(seen.map((e) => e.data)).toEqual(Array.from({ length: 21 }, (_, i) => i)));
    await publisher.publish(topic, 21);
    await eventually(() => expect(seen).toHaveLength(22));
    expect(new Set(seen.map((e) => e.id)).size).toBe(22);
  });

  it('says when it is connected, and tells subscribers when they resumed after a lost connection', async () => {
    const bus = open();
    const topic = uniqueName('resumed');
    const seen: BusEvent[] = [];
    let resumed = 0;
    await bus.subscribe(topic, (e) => void seen.push(e), { onResumed: () => resumed++ });
    await eventually(() => expect(bus.available()).toBe(true));

    await redis.stop({ kill: true });
    await eventually(() => expect(bus.available()).toBe(false));
    // An announcement does not hold its caller up: it stays queued and is delivered once Redis is back.
    expect(await publishSoon(bus, topic, 'queued', 50, (err) => fail(err))).toBeUndefined();
    expect(resumed).toBe(0);
    await redis.start();

    await eventually(() => expect(seen.map((e) => e.data)).toEqual(['queued']));
    await eventually(() => expect(resumed).toBe(1));
    expect(bus.available()).toBe(true);
    expect(await publishSoon(bus, topic, 'prompt', 5000, (err) => fail(err))).toEqual(expect.stringMatching(/^\d+-\d+$/));
  });

  it('rejects a publish Redis does not take in time with BusUnavailableError', async () => {
    const bus = createRedisBus({ url: redis.url, publishTimeoutMs: 100 });
    buses.push(bus);
    await bus.publish(uniqueName('timeout'), 'warm');
    await redis.stop({ kill: true });
    await expect(bus.publish(uniqueName('timeout'), 'late')).rejects.toBeInstanceOf(BusUnavailableError);
    await redis.start();
  });

  it('quits every connection on close', async () => {
    const bus = open();
    await bus.subscribe(uniqueName('close'), () => undefined);
    await bus.publish(uniqueName('close'), 1);
    const watcher = new Redis(redis.url);
    const clients = async () => ((await watcher.client('LIST')) as string).split('\n').filter((line) => line.includes('name=manassa-bus'));
    const before = (await clients()).length;
    await bus.close();
    await eventually(async () => expect((await clients()).length).toBe(before - 2));
    await watcher.quit();
  });
});
