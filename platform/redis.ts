import Redis from 'ioredis';
import { appError, ErrorCode } from './errors';
import type { Logger } from './logger';

/**
 * The Redis client of a service's own commands (rate limits, presence), with the same options
 * everywhere. Commands fail fast (two retries) instead of queueing while Redis is away, so a
 * caller can answer SERVICE_UNAVAILABLE or fall back; ioredis keeps reconnecting meanwhile. The
 * error listener matters: without one, ioredis reports every failed reconnect as an unhandled
 * 'error' event.
 */
export function createRedisClient(url: string, logger: Logger, connectionName: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, connectionName });
  let reported = false;
  redis.on('error', (err) => {
    // One line per outage, not one per reconnect attempt.
    if (!reported) logger.warn({ err: err.message, connectionName }, 'Redis unavailable; retrying');
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) logger.info({ connectionName }, 'Redis reachable again');
    reported = false;
  });
  return redis;
}

/** QUIT when connected (pending replies arrive first); otherwise drop it, since QUIT would wait for Redis. */
export async function closeRedisClient(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}

/**
 * What a client gets when the feature it asked for needs Redis and Redis is away: a coded,
 * retryable answer naming the dependency, never a masked internal error.
 */
export const redisUnavailable = (what = 'Live features') =>
  appError(ErrorCode.SERVICE_UNAVAILABLE, `${what} are unavailable right now; try again shortly`, { service: 'redis' });
