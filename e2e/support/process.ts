import { rmSync } from 'node:fs';
import { deleteRedisKeys } from '../../platform/testkit/cleanup';
import { dropDatabasesWithPrefix } from '../../platform/testkit/database';
import { testServices } from '../../platform/testkit/services';

export { listening, startProcess, type RunningProcess } from '../../platform/testkit/process';

/** What `npm start` prints once everything is up, with the gateway's URL. */
export const STARTED = /El-Manassa is up: (http:\/\/\S+\/graphql)/;

/**
 * Environment of a production-mode deployment on the machine's MariaDB, Redis and RabbitMQ whose
 * databases and Redis keys all start with `prefix` (so one run never sees another's data).
 */
export function productionEnv(prefix: string, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: `${testServices.mysqlUrl}/${prefix}`,
    REDIS_URL: testServices.redisUrl,
    AMQP_URL: testServices.amqpUrl,
    REDIS_KEY_PREFIX: `${prefix}:`,
    HOST: '127.0.0.1',
  };
}

/** Removes what a `productionEnv(prefix, dataDir)` deployment left: its databases, Redis keys and data folder. */
export async function removeProductionData(prefix: string, dataDir: string): Promise<void> {
  await deleteRedisKeys(`${prefix}:`);
  await dropDatabasesWithPrefix(prefix);
  rmSync(dataDir, { recursive: true, force: true });
}
