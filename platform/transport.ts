import { createMemoryBroker } from './broker/memory-broker';
import type { MessageBroker } from './broker/message-broker';
import { createRabbitBroker } from './broker/rabbit-broker';
import type { EventBus } from './bus/event-bus';
import { createMemoryBus } from './bus/memory-bus';
import { createRedisBus } from './bus/redis-bus';
import type { Logger } from './logger';

/** The transport of a service: the live event bus and the durable broker it publishes and consumes through. */
export interface Transport {
  bus: EventBus;
  broker: MessageBroker;
  close(): Promise<void>;
}

/**
 * Redis and RabbitMQ when their URLs are set, in-process adapters otherwise. In the embedded
 * mode one instance is shared by every service of the process (in-process adapters only reach
 * subscribers of the same instance); a service given one does not close it.
 */
export function createTransport(cfg: {
  redisUrl?: string;
  amqpUrl?: string;
  redisPrefix?: string;
  /** RabbitMQ exchange; default the broker's ('manassa.events'). Tests give each stack its own. */
  exchange?: string;
  name: string;
  logger?: Logger;
}): Transport {
  const bus = cfg.redisUrl ? createRedisBus({ url: cfg.redisUrl, keyPrefix: cfg.redisPrefix, logger: cfg.logger }) : createMemoryBus();
  const broker = cfg.amqpUrl
    ? createRabbitBroker({ url: cfg.amqpUrl, exchange: cfg.exchange, connectionName: cfg.name, logger: cfg.logger })
    : createMemoryBroker();
  return {
    bus,
    broker,
    async close() {
      await Promise.allSettled([bus.close(), broker.close()]);
    },
  };
}

/** Topics and routing keys shared between services, named once. */
export const Topics = {
  /** Live: a login session (refresh-token family) was revoked; access tokens of it must stop working. */
  revokedSessions: 'auth.sessions.revoked',
} as const;

export interface SessionRevoked {
  sessionId: string;
  schoolId: string;
  at: string;
}
