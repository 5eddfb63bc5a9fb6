import type { Redis } from 'ioredis';
import type { Presence } from './presence';

export interface RedisPresenceOptions {
  /** Prefix of every key (the deployment's REDIS_KEY_PREFIX). Default 'manassa:'. */
  keyPrefix?: string;
  /** Rooms untouched this long disappear, so a session that never ended leaves no litter. Default 86400 s. */
  ttlSeconds?: number;
}

/**
 * Presence in Redis, shared by every replica of the subgraph: a set of members and a sorted set
 * of raised hands (score = raise time) per room. Each write renews the room's expiry.
 */
export function createRedisPresence(redis: Redis, opts: RedisPresenceOptions = {}): Presence {
  const prefix = `${opts.keyPrefix ?? 'manassa:'}presence:`;
  const ttl = opts.ttlSeconds ?? 86_400;
  const members = (room: string) => `${prefix}${room}:members`;
  const hands = (room: string) => `${prefix}${room}:hands`;
  /** Runs `first` and renews the room's expiry after it (EXPIRE on a key not yet created does nothing). */
  const thenTouch = async (room: string, first: ReturnType<Redis['multi']>) => {
    const results = (await first.expire(members(room), ttl).expire(hands(room), ttl).exec())!;
    if (results[0][0]) throw results[0][0];
    return results[0][1];
  };

  return {
    async enter(room, userId) {
      return (await thenTouch(room, redis.multi().sadd(members(room), userId))) === 1;
    },
    async leave(room, userId) {
      const results = (await redis.multi().zrem(hands(room), userId).srem(members(room), userId).exec())!;
      return results[1][1] === 1;
    },
    async isIn(room, userId) {
      return (await redis.sismember(members(room), userId)) === 1;
    },
    async members(room) {
      return redis.smembers(members(room));
    },
    async raiseHand(room, userId) {
      return (await thenTouch(room, redis.multi().zadd(hands(room), 'NX', Date.now(), userId))) === 1;
    },
    async lowerHand(room, userId) {
      return (await redis.zrem(hands(room), userId)) === 1;
    },
    async hands(room) {
      return redis.zrange(hands(room), 0, -1);
    },
    async clear(room) {
      await redis.del(members(room), hands(room));
    },
  };
}
