import { rmSync } from 'node:fs';
import { DEFAULT_RETRY_DELAYS_MS } from '../../platform/broker/delivery-policy';
import { deleteRabbitQueues, deleteRedisKeys } from '../../testkit/cleanup';
import { dropDatabasesWithPrefix } from '../../testkit/database';
import { productionEnv } from '../../testkit/production-env';
import { registryConfigFromEnv } from '../../registry/env';
import { billing } from '../../subgraphs/billing/features';
import { courses } from '../../subgraphs/courses/features';
import { messaging } from '../../subgraphs/messaging/features';
import { users } from '../../subgraphs/users/features';

export { listening, startProcess, type RunningProcess } from '../../testkit/process';
export { productionEnv };

/** What `npm start` prints once everything is up, with the gateway's URL. */
export const STARTED = /El-Manassa is up: (http:\/\/\S+\/graphql)/;

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
