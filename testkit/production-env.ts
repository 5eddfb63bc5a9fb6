import { testServices } from './services';

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
