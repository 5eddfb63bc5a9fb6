import { GraphQLError } from 'graphql';
import type Redis from 'ioredis';
import { startRedisServer, type OwnRedis } from '../testkit/redis-server';
import { eventually } from '../testkit/eventually';
import { uniqueName } from '../testkit/services';
import { createLogger } from './logger';
import { consumeOrThrow, createLimiter } from './rate-limit';
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
});
