import { deleteRabbitQueues } from './cleanup';
import type { TestDialect } from './database';
import { startStack, type Stack } from './stack';

/**
 * Users, courses and the gateway with caching and deduplication on, for the gateway cache's
 * tests. Outbox relays do not poll: an event reaches the gateway only when the test drains it, so
 * what is read before that shows what the cache held. Rate limits out of the way.
 */
export function startCacheStack(dialect: TestDialect): Promise<Stack> {
  return startStack(
    dialect,
    {
      GATEWAY_CACHE: '1',
      GATEWAY_DEDUP: '1',
      OUTBOX_POLL_INTERVAL_MS: '0',
      RATE_LIMIT_USER_PER_MINUTE: '100000',
      RATE_LIMIT_IP_PER_MINUTE: '100000',
      SCHOOL_REQUESTS_PER_MINUTE: '1000000',
    },
    { subgraphs: ['users', 'courses'] },
  );
}

/** Stops it, and deletes the gateway's queue (on the stack's exchange): RabbitMQ keeps queues. */
export async function stopCacheStack(stack: Stack | undefined, dialect: TestDialect): Promise<void> {
  await stack?.stop();
  if (dialect === 'mysql') await deleteRabbitQueues(['gateway.cache'], [1_000]);
}
