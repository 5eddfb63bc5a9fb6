import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import type { MessageBroker } from '../../platform/broker/message-broker';
import type { Logger } from '../../platform/logger';
import { closeRedisClient, createRedisClient } from '../../platform/redis';
import type { Shutdown } from '../../platform/service';
import type { GatewayConfig } from '../env';
import { createGatewayCache, type GatewayCache } from './gateway-cache';

export interface CacheWiring {
  /** The gateway runs in one process with the subgraphs and shares their in-process transport. */
  sharedTransport: boolean;
  /** The gateway's Redis client (REDIS_URL), reused when the cache's Redis is the same. */
  redis?: Redis;
  broker: MessageBroker;
  registry: Registry;
  logger: Logger;
  shutdown: Shutdown;
}

/**
 * The gateway's cache as configured, or with caching turned off (logged) when its invalidations
 * could not be trusted: events must reach this gateway (a shared in-process transport, or
 * RabbitMQ), and with RabbitMQ, whose gateway queue the replicas share (each event reaches one),
 * the store must be shared too (Redis).
 */
export function gatewayCacheFor(config: GatewayConfig, wiring: CacheWiring): GatewayCache {
  const { logger } = wiring;
  let enabled = config.cache.enabled;
  if (enabled && !wiring.sharedTransport && !config.amqpUrl) {
    logger.warn('GATEWAY_CACHE is on but no domain events reach the gateway (no AMQP_URL): caching stays off');
    enabled = false;
  }
  if (enabled && config.amqpUrl && !config.cache.redisUrl) {
    logger.warn('GATEWAY_CACHE is on with RabbitMQ but no Redis (REDIS_URL or CACHE_REDIS_URL) to share among replicas: caching stays off');
    enabled = false;
  }
  let redis: Redis | undefined;
  if (enabled && config.cache.redisUrl) {
    if (config.cache.redisUrl === config.redisUrl && wiring.redis) redis = wiring.redis;
    else {
      const own = createRedisClient(config.cache.redisUrl, logger, 'gateway-cache');
      wiring.shutdown.add('data', 'cache redis', () => closeRedisClient(own));
      redis = own;
    }
  }
  if (enabled || config.cache.dedup)
    logger.info({ cache: enabled, dedup: config.cache.dedup, store: redis ? 'redis' : 'memory' }, 'gateway cache');
  return createGatewayCache(
    { enabled, dedup: config.cache.dedup, maxEntries: config.cache.maxEntries },
    { redis, keyPrefix: config.redisPrefix, broker: wiring.broker, queue: config.cache.queue, registry: wiring.registry, logger },
  );
}
