import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { deadQueue, retryQueue } from '../platform/broker/rabbit-codec';
import { testServices } from './services';

/** Removes every key under `prefix` (bus streams, presence, rate limits) from the test Redis. */
export async function deleteRedisKeys(prefix: string, url = testServices.redisUrl): Promise<void> {
  const redis = new Redis(url);
  try {
    const stream = redis.scanStream({ match: `${prefix}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/**
 * Deletes durable consumer queues from the test RabbitMQ, with the retry queue of each delay and
 * the dead-letter queue the broker declared for them, then `exchange` when given.
 */
export async function deleteRabbitQueues(queues: string[], retryDelaysMs: number[], exchange?: string): Promise<void> {
  const admin = await connect(testServices.amqpUrl);
  try {
    const channel = await admin.createChannel();
    for (const queue of queues) {
      for (const name of [queue, deadQueue(queue), ...retryDelaysMs.map((d) => retryQueue(queue, d))]) await channel.deleteQueue(name);
    }
    if (exchange) await channel.deleteExchange(exchange);
  } finally {
    await admin.close();
  }
}
