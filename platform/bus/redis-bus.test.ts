import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { testServices, uniqueName } from '../testkit/services';
import { eventually } from '../testkit/eventually';
import { describeEventBusContract } from './bus.contract';
import type { BusEvent, EventBus } from './event-bus';
import { compareIds } from './ids';
import { createRedisBus } from './redis-bus';

const keyPrefix = `${uniqueName('test')}:`;
const admin = new Redis(testServices.redisUrl);

afterAll(async () => {
  const keys = await admin.keys(`${keyPrefix}*`);
  if (keys.length > 0) await admin.del(...keys);
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

/** A private redis-server the test may kill and restart without disturbing anyone else. */
class OwnRedis {
  private process?: ChildProcess;
  constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      '/usr/bin/redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
    });
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('redis bus resilience', () => {
  let redis: OwnRedis;
  const buses: EventBus[] = [];
  const open = () => {
    const bus = createRedisBus({ url: redis.url });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
  });

  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await redis.kill();
  });

  it('survives a Redis restart: publish waits, the subscriber catches up without duplicates', async () => {
    const bus = open();
    const topic = uniqueName('restart');
    const seen: BusEvent[] = [];
    await bus.subscribe(topic, (e) => void seen.push(e));
    const first = await bus.publish(topic, 'before');
    await eventually(() => expect(seen.map((e) => e.data)).toEqual(['before']));

    await redis.kill();
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
