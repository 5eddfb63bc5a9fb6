import { Redis } from 'ioredis';
import { createLogger } from '../../../platform/logger';
import { deleteRedisKeys } from '../../../testkit/cleanup';
import { testServices, uniqueName } from '../../../testkit/services';
import { createCoalescer, redisPublishGate, type Coalescer, type PublishGate } from './coalescer';

const INTERVAL = 1000;
/** setTimeout may fire a millisecond early (it rounds); nothing else is allowed below the interval. */
const CLOCK_TOLERANCE = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logger = createLogger('coalescer-test');

interface Sent {
  topic: string;
  value: unknown;
  at: number;
}

/** A coalescer whose publish records what it sent and when. */
function recording(sent: Sent[], gate?: PublishGate): Coalescer {
  return createCoalescer({
    intervalMs: INTERVAL,
    gate,
    logger,
    publish: async (topic, value) => void sent.push({ topic, value, at: Date.now() }),
  });
}

const gaps = (sent: Sent[]) => sent.slice(1).map((s, i) => s.at - sent[i].at);

describe('dashboard coalescer', () => {
  const running: Coalescer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  const start = (sent: Sent[], gate?: PublishGate) => {
    const c = recording(sent, gate);
    running.push(c);
    return c;
  };

  it('sends the first change of a burst at once and folds the rest into one send with the last value', async () => {
    const sent: Sent[] = [];
    const coalescer = start(sent);
    let value = 0;
    for (let i = 1; i <= 50; i++) {
      value = i;
      coalescer.changed('t', async () => value);
      await sleep(6);
    }
    await sleep(INTERVAL + 500);
    expect(sent.map((s) => s.value)).toEqual([1, 50]);
    expect(gaps(sent).every((gap) => gap >= INTERVAL - CLOCK_TOLERANCE)).toBe(true);
  });

  it('sends each change when they come further apart than the interval', async () => {
    const sent: Sent[] = [];
    const coalescer = start(sent);
    for (const value of ['a', 'b', 'c']) {
      coalescer.changed('t', async () => value);
      await sleep(1500);
    }
    expect(sent.map((s) => s.value)).toEqual(['a', 'b', 'c']);
  });

  it('keeps topics apart: each has its own interval', async () => {
    const sent: Sent[] = [];
    const coalescer = start(sent);
    for (let i = 0; i < 5; i++) {
      coalescer.changed('school', async () => `school ${i}`);
      coalescer.changed('course', async () => `course ${i}`);
    }
    await sleep(50);
    expect(sent.map((s) => [s.topic, s.value])).toEqual([
      ['school', 'school 0'],
      ['course', 'course 0'],
    ]);
    await sleep(INTERVAL + 200);
    expect(sent.filter((s) => s.topic === 'school').map((s) => s.value)).toEqual(['school 0', 'school 4']);
    expect(sent.filter((s) => s.topic === 'course').map((s) => s.value)).toEqual(['course 0', 'course 4']);
  });

  it('computes the value when it is sent, not when the change was told', async () => {
    const sent: Sent[] = [];
    const coalescer = start(sent);
    let figure = 1;
    coalescer.changed('t', async () => figure);
    coalescer.changed('t', async () => figure);
    figure = 2; // after the change, before the trailing send
    await sleep(INTERVAL + 200);
    expect(sent.map((s) => s.value)).toEqual([1, 2]);
  });

  it('logs a failed computation or publish without throwing, and sends the next change', async () => {
    const sent: Sent[] = [];
    let failPublish = true;
    const coalescer = createCoalescer({
      intervalMs: INTERVAL,
      logger,
      publish: async (topic, value) => {
        if (failPublish) throw new Error('bus away');
        sent.push({ topic, value, at: Date.now() });
      },
    });
    running.push(coalescer);
    expect(() =>
      coalescer.changed('t', async () => {
        throw new Error('database away');
      }),
    ).not.toThrow();
    await sleep(INTERVAL + 200);
    coalescer.changed('t', async () => 'lost');
    await sleep(INTERVAL + 200);
    failPublish = false;
    coalescer.changed('t', async () => 'back');
    await sleep(100);
    expect(sent.map((s) => s.value)).toEqual(['back']);
  });

  it('sends nothing more once stopped', async () => {
    const sent: Sent[] = [];
    const coalescer = start(sent);
    coalescer.changed('t', async () => 1);
    coalescer.changed('t', async () => 2);
    await coalescer.stop();
    coalescer.changed('t', async () => 3);
    await sleep(INTERVAL + 200);
    expect(sent.map((s) => s.value)).toEqual([1]);
  });

  describe('with several replicas, gated in Redis', () => {
    const prefix = `${uniqueName('coalescer')}:`;
    const clients: Redis[] = [];
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.quit()));
      await deleteRedisKeys(prefix, testServices.redisUrl);
    });
    const replicaGate = () => {
      const redis = new Redis(testServices.redisUrl);
      clients.push(redis);
      return redisPublishGate(redis, prefix);
    };

    it('sends at most one value per interval between them, the last value last', async () => {
      const sent: Sent[] = [];
      const replicas = [start(sent, replicaGate()), start(sent, replicaGate()), start(sent, replicaGate())];
      let value = 0;
      for (let i = 1; i <= 60; i++) {
        value = i;
        replicas[i % replicas.length].changed('t', async () => value);
        await sleep(5);
      }
      await sleep(3 * INTERVAL + 500);
      // One leading send, then each replica that still had a change gets the slot in turn.
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(sent.length).toBeLessThanOrEqual(replicas.length + 1);
      expect(sent.at(-1)!.value).toBe(60);
      // Measured at publish; the gate is taken just before, so the tolerance also covers that call.
      expect(gaps(sent).every((gap) => gap >= INTERVAL - 20)).toBe(true);
    });

    it('lets each replica send at once when the topic was quiet', async () => {
      const sent: Sent[] = [];
      const [a, b] = [start(sent, replicaGate()), start(sent, replicaGate())];
      a.changed('quiet', async () => 'from a');
      await sleep(INTERVAL + 300);
      b.changed('quiet', async () => 'from b');
      await sleep(100);
      expect(sent.map((s) => s.value)).toEqual(['from a', 'from b']);
    });
  });
});
