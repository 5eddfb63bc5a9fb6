import { GraphQLError } from 'graphql';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { startRedisServer, type OwnRedis } from '../testkit/redis-server';
import { eventually } from '../testkit/eventually';
import { uniqueName } from '../testkit/services';
import { createLogger } from './logger';
import { coalescingConsumes, consumeOrThrow, createLimiter } from './rate-limit';
import { closeRedisClient, createRedisClient } from './redis';

const codeOf = (err: unknown) => (err instanceof GraphQLError ? err.extensions.code : err);

/** Rate limits on a redis-server of this test's own, stopped under them. */
describe('rate limits while Redis is away', () => {
  let redis: OwnRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedisServer({ persist: false });
    client = createRedisClient(redis.url, createLogger('test'), 'rate-limit-test');
  });
  afterAll(async () => {
    await closeRedisClient(client);
    await redis.close();
  });

  it('counts in the process with the same points, and on Redis again once it is back', async () => {
    const name = uniqueName('rl');
    const limiter = createLimiter({ name, points: 3, duration: 60 }, client, 'test:');
    await eventually(() => expect(client.status).toBe('ready'));
    await consumeOrThrow(limiter, 'a');
    expect(await client.get(`test:rl:${name}:a`)).toBe('1');

    await redis.stop({ kill: true });
    await eventually(() => expect(client.status).not.toBe('ready'));
    // The fallback answers at once, with the limit's own points: three, then refused.
    for (let i = 0; i < 3; i++) await consumeOrThrow(limiter, 'b');
    await expect(consumeOrThrow(limiter, 'b').catch(codeOf)).resolves.toBe('RATE_LIMITED');
    // Another key has its own count.
    await consumeOrThrow(limiter, 'c');

    await redis.start();
    await eventually(() => expect(client.status).toBe('ready'));
    // Redis forgot everything (no persistence here): counting starts again there.
    await consumeOrThrow(limiter, 'b');
    expect(await client.keys('test:rl:*')).toHaveLength(1);
  });

  describe('consumes of one key sent together (coalescingConsumes)', () => {
    /** Each consume's answer: the points left after it, or the wait it was refused with. */
    const outcome = (p: Promise<RateLimiterRes>) =>
      p.then(
        (res) => ({ left: res.remainingPoints }),
        (err: unknown) => (err instanceof RateLimiterRes ? { refusedFor: err.msBeforeNext > 0 } : { failed: (err as Error).message }),
      );

    it('answers a burst with one call per key, each consume as it would have been one by one', async () => {
      await eventually(() => expect(client.status).toBe('ready'));
      const name = uniqueName('rl');
      const limiter = createLimiter({ name, points: 5, duration: 60 }, client, 'test:');
      const calls = jest.spyOn(limiter, 'consume');
      const coalesced = coalescingConsumes(limiter);
      const burst = await Promise.all([
        ...Array.from({ length: 8 }, () => outcome(coalesced.consume('a'))),
        ...Array.from({ length: 2 }, () => outcome(coalesced.consume('b'))),
      ]);
      expect(burst).toEqual([
        ...[4, 3, 2, 1, 0].map((left) => ({ left })),
        ...Array(3).fill({ refusedFor: true }),
        { left: 4 },
        { left: 3 },
      ]);
      expect(calls.mock.calls).toEqual([
        ['a', 8],
        ['b', 2],
      ]);
      // Refused attempts count, as they do one by one.
      expect(await client.get(`test:rl:${name}:a`)).toBe('8');

      // Mixed sizes: each adds its points in order, and passes while the count is within 5.
      const mixed = await Promise.all([3, 3, 1].map((points) => outcome(coalesced.consume('c', points))));
      expect(mixed).toEqual([{ left: 2 }, { refusedFor: true }, { refusedFor: true }]);

      // Made while the key's call is out: they wait for it, then go as one.
      calls.mockClear();
      const first = outcome(coalesced.consume('d'));
      await new Promise((resolve) => setImmediate(resolve));
      const later = [1, 2, 3].map(() => outcome(coalesced.consume('d')));
      expect(await Promise.all([first, ...later])).toEqual([4, 3, 2, 1].map((left) => ({ left })));
      expect(calls.mock.calls).toEqual([
        ['d', 1],
        ['d', 3],
      ]);
    });

    it('refuses everything while a key is blocked, and gives every consume a failure of the store', async () => {
      await eventually(() => expect(client.status).toBe('ready'));
      const blocking = coalescingConsumes(
        new RateLimiterRedis({ storeClient: client, keyPrefix: `test:${uniqueName('rl')}`, points: 2, duration: 1, blockDuration: 60 }),
      );
      expect(await Promise.all(Array.from({ length: 4 }, () => outcome(blocking.consume('x'))))).toEqual([
        { left: 1 },
        { left: 0 },
        { refusedFor: true },
        { refusedFor: true },
      ]);
      // Blocked for a minute, past the one-second window.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await Promise.all(Array.from({ length: 3 }, () => outcome(blocking.consume('x'))))).toEqual(
        Array(3).fill({ refusedFor: true }),
      );

      // No insurance limiter: with Redis stopped, each consume of the call gets its error, and the key works again after.
      const bare = coalescingConsumes(
        new RateLimiterRedis({
          storeClient: client,
          keyPrefix: `test:${uniqueName('rl')}`,
          points: 5,
          duration: 60,
          rejectIfRedisNotReady: true,
        }),
      );
      await redis.stop({ kill: true });
      await eventually(() => expect(client.status).not.toBe('ready'));
      const failed = await Promise.all(Array.from({ length: 3 }, () => outcome(bare.consume('y'))));
      expect(failed).toEqual(Array(3).fill({ failed: expect.stringMatching(/not ready/i) }));
      await redis.start();
      await eventually(() => expect(client.status).toBe('ready'));
      expect(await outcome(bare.consume('y'))).toEqual({ left: 4 });
    });
  });
});
