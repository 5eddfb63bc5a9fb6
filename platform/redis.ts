import Redis from 'ioredis';
import { appError, ErrorCode } from './errors';
import type { Logger } from './logger';

/**
 * The Redis client of a service's own commands (rate limits, presence), with the same options
 * everywhere. Commands fail fast (two retries) instead of queueing while Redis is away, so a
 * caller can answer SERVICE_UNAVAILABLE or fall back; ioredis keeps reconnecting meanwhile.
 */
export function createRedisClient(url: string, logger: Logger, connectionName: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, connectionName });
  reportOutages(redis, logger, connectionName);
  return redis;
}

/**
 * The error listener every ioredis client needs (without one, ioredis prints each failed
 * reconnect as an unhandled 'error' event), logging one line per outage rather than one per
 * reconnect attempt, and one when Redis is back.
 */
export function reportOutages(redis: Redis, logger: Logger, connectionName: string): void {
  let reported = false;
  redis.on('error', (err) => {
    if (!reported) logger.warn({ err: err.message, connectionName }, 'Redis unavailable; retrying');
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) logger.info({ connectionName }, 'Redis reachable again');
    reported = false;
  });
}

/** QUIT when connected (pending replies arrive first); otherwise drop it, since QUIT would wait for Redis. */
export async function closeRedisClient(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}

/**
 * What a client gets when the feature it asked for needs Redis and Redis is away: a coded,
 * retryable answer naming the dependency, never a masked internal error. `service` rather than
 * `serviceName`: the gateway sets that one to the subgraph that answered.
 */
export const redisUnavailable = (what = 'Live features') =>
  appError(ErrorCode.SERVICE_UNAVAILABLE, `${what} are unavailable right now; try again shortly`, {
    service: 'redis',
    retryAfterSeconds: 5,
  });
