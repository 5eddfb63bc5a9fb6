import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type Redis from 'ioredis';

/** Apollo Server's KeyValueCache<string>, as its `persistedQueries.cache` option types it. */
export type ApqCache = NonNullable<Exclude<ApolloServerOptions<BaseContext>['persistedQueries'], false | undefined>['cache']>;

/**
 * The automatic-persisted-query store over the gateway's Redis: one key per hash under the
 * gateway's prefix, shared by every gateway instance. While Redis is away every read is a miss
 * (the client then sends the full query, which works) and every write is dropped: APQ only saves
 * bytes, so an outage must never turn it into a 500. Without Redis (embedded mode) the gateway
 * passes no cache and Apollo Server keeps its own bounded in-process LRU.
 */
export function redisApqCache(redis: Redis, prefix: string): ApqCache {
  // Apollo Server already prefixes its keys with "apq:".
  const key = (hash: string) => `${prefix}${hash}`;
  // Fail fast rather than wait for ioredis's retries while it reconnects.
  const up = () => redis.status === 'ready';
  return {
    async get(hash) {
      if (!up()) return undefined;
      return (await redis.get(key(hash)).catch(() => null)) ?? undefined;
    },
    async set(hash, query, options) {
      if (!up()) return;
      const ttl = options?.ttl;
      await (ttl ? redis.set(key(hash), query, 'EX', Math.ceil(ttl)) : redis.set(key(hash), query)).catch(() => undefined);
    },
    async delete(hash) {
      if (!up()) return false;
      return (await redis.del(key(hash)).catch(() => 0)) > 0;
    },
  };
}
