import Redis from 'ioredis';
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
