import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '../logger';
import { consumerSettings } from './delivery-policy';
import type { BrokerMessage, ConsumeOptions, Consumer, MessageBroker, PublishOptions } from './message-broker';
import { deadQueue, decodeMessage, publishOptions } from './rabbit-codec';
import { RabbitConnection } from './rabbit-connection';
import { RabbitConsumer } from './rabbit-consumer';
import { withTraceHeaders } from '../tracing/propagation';

export interface RabbitBrokerOptions {
  /** `amqp://user:password@host:port/vhost`; query parameters such as `heartbeat=10` pass through to amqplib. */
  url: string;
  /** The durable topic exchange every message is published to. Default 'manassa.events'. */
  exchange?: string;
  /**
   * How long `publish`, `consume` and `deadLetters` wait for RabbitMQ during an outage (and a
   * publish for its confirm) before rejecting. Default 30000 ms.
   */
  timeoutMs?: number;
  /** Shown by `rabbitmqctl list_connections` and the management UI. Default 'manassa'. */
  connectionName?: string;
  /** Default: a logger named `broker`. */
  logger?: Logger;
}

/**
 * The production broker on RabbitMQ. Returns at once: the connection is made (and remade after
 * any loss, with backoff) in the background, and every operation waits for it up to `timeoutMs`.
 */
export function createRabbitBroker(opts: RabbitBrokerOptions): MessageBroker {
  const exchange = opts.exchange ?? 'manassa.events';
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const logger = opts.logger ?? createLogger('broker');
  const consumers = new Set<RabbitConsumer>();
  const connection = new RabbitConnection({
    url: opts.url,
    exchange,
    connectionName: opts.connectionName ?? 'manassa',
    timeoutMs,
    logger,
    setup: async (model) => {
      await Promise.all([...consumers].map((consumer) => consumer.attachOrRetry(model)));
    },
  });
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new Error('broker closed');
  };

  const stop = async (consumer: RabbitConsumer) => {
    consumers.delete(consumer);
    await consumer.cancel();
  };

  return {
    async publish<T>(routingKey: string, payload: T, options: PublishOptions = {}): Promise<string> {
      assertOpen();
      const id = options.id ?? randomUUID();
      const content = Buffer.from(JSON.stringify(payload) ?? 'null');
      // With tracing on, the publishing span's context travels in the headers (and on through retries).
      await connection.publish(exchange, routingKey, content, publishOptions(id, withTraceHeaders(options.headers ?? {}), 1));
      return id;
    },

    async consume<T>(queue: string, handler: (message: BrokerMessage<T>) => Promise<void>, options: ConsumeOptions): Promise<Consumer> {
      assertOpen();
      const consumer = new RabbitConsumer(
        queue,
        handler as (message: BrokerMessage) => Promise<void>,
        consumerSettings(options),
        exchange,
        connection,
        logger,
      );
      // Registered first, so a reconnect while this call waits also starts it.
      consumers.add(consumer);
      try {
        for (;;) {
          const model = await connection.connection();
          try {
            await consumer.attach(model);
            break;
          } catch (err) {
            // Lost along with its connection: try on the next one. Anything else (the queue exists
            // with other arguments, access refused) is for the caller to fix.
            if (connection.current === model) throw err;
          }
        }
      } catch (err) {
        await stop(consumer);
        throw err;
      }
      return { cancel: () => stop(consumer) };
    },

    /**
     * Reads `<queue>.dead` with basic.get without acking, then gives every message back (nack
     * with requeue, which puts it back in its place): the dead letters stay where they are, for
     * a later look or a replay. Messages being read are invisible to a concurrent reader.
     */
    async deadLetters<T>(queue: string, limit = 100): Promise<BrokerMessage<T>[]> {
      assertOpen();
      const model = await connection.connection();
      const channel = await model.createChannel();
      channel.on('error', (err: Error) => logger.warn({ err, queue }, 'rabbitmq dead-letter channel error'));
      try {
        await channel.assertQueue(deadQueue(queue), { durable: true });
        const found: BrokerMessage<T>[] = [];
        while (found.length < limit) {
          const message = await channel.get(deadQueue(queue), { noAck: false });
          if (!message) break;
          found.push(decodeMessage<T>(message, true));
        }
        return found;
      } finally {
        try {
          channel.nackAll(true);
        } catch {
          // the channel is gone, and with it every unacked message went back to the queue
        }
        await channel.close().catch(() => undefined);
      }
    },

    ping: () => (closed ? Promise.resolve(false) : connection.ping()),

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map(stop));
      await connection.close();
    },
  };
}
