import { rmSync } from 'node:fs';
import { DEFAULT_RETRY_DELAYS_MS } from '../../platform/broker/delivery-policy';
import { deleteRabbitQueues, deleteRedisKeys } from '../../testkit/cleanup';
import { dropDatabasesWithPrefix } from '../../testkit/database';
import { testServices } from '../../testkit/services';
import { registryConfigFromEnv } from '../../registry/env';
import { billing } from '../../subgraphs/billing/features';
import { courses } from '../../subgraphs/courses/features';
import { messaging } from '../../subgraphs/messaging/features';
import { users } from '../../subgraphs/users/features';

export { listening, startProcess, type RunningProcess } from '../../testkit/process';

/** What `npm start` prints once everything is up, with the gateway's URL. */
export const STARTED = /El-Manassa is up: (http:\/\/\S+\/graphql)/;

/**
 * Environment of a production-mode deployment on the machine's MariaDB, Redis and RabbitMQ whose
 * databases, Redis keys and RabbitMQ queues all start with `prefix` (so one run never sees
 * another's data, and `removeProductionData` finds everything it left).
 */
export function productionEnv(prefix: string, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: `${testServices.mysqlUrl}/${prefix}`,
    REDIS_URL: testServices.redisUrl,
    AMQP_URL: testServices.amqpUrl,
    REDIS_KEY_PREFIX: `${prefix}:`,
    AMQP_QUEUE_PREFIX: `${prefix}.`,
    REGISTRY_WEBHOOK_QUEUE: `${prefix}.registry.webhooks`,
    HOST: '127.0.0.1',
  };
}

/** The durable queues (with their retry and dead-letter queues) such a deployment's consumers declare. */
async function deleteQueuesOf(prefix: string, dataDir: string): Promise<void> {
  const env = productionEnv(prefix, dataDir);
  for (const c of [...courses.consumers, ...users.consumers, ...billing.consumers, ...messaging.consumers]) {
    await deleteRabbitQueues([`${env.AMQP_QUEUE_PREFIX}${c.queue}`], c.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
  }
  const { webhooks } = registryConfigFromEnv(env);
  await deleteRabbitQueues([webhooks.queue], webhooks.retryDelaysMs);
}

/** Removes what a `productionEnv(prefix, dataDir)` deployment left: databases, Redis keys, queues, data folder. */
export async function removeProductionData(prefix: string, dataDir: string): Promise<void> {
  await deleteQueuesOf(prefix, dataDir);
  await deleteRedisKeys(`${prefix}:`);
  await dropDatabasesWithPrefix(prefix);
  rmSync(dataDir, { recursive: true, force: true });
}
