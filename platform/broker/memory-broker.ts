import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '../logger';
import { consumerSettings, ERROR_HEADER, errorText, retryDelay, type ConsumerSettings } from './delivery-policy';
import type { BrokerMessage, ConsumeOptions, Consumer, MessageBroker, PublishOptions } from './message-broker';
import { matchesTopic } from './topic-pattern';
import { withTraceHeaders } from '../tracing/propagation';
import { consumeInSpan } from '../tracing/spans';
import { tracingOn } from '../tracing/tracing';

export interface MemoryBrokerOptions {
  /** Where failed deliveries are reported. Default: a logger named `broker`. */
  logger?: Logger;
}

/** A message at rest: the payload stays JSON so every delivery gets its own copy, as over AMQP. */
interface Stored {
  id: string;
  routingKey: string;
  json: string;
  headers: Record<string, string>;
  attempt: number;
}

interface LocalConsumer {
  handler: (message: BrokerMessage) => Promise<void>;
  settings: ConsumerSettings;
  inFlight: Set<Promise<void>>;
  active: boolean;
}

interface Queue {
  bindings: Set<string>;
  ready: Stored[];
  dead: Stored[];
  consumers: LocalConsumer[];
  /** Round-robin position among the consumers, like RabbitMQ's competing consumers. */
  turn: number;
}

/**
 * The embedded-mode broker, with RabbitMQ's semantics: a queue exists from its first `consume`
 * and keeps collecting matching messages while nobody consumes it; each queue gets its own copy;
 * at most `prefetch` deliveries per consumer are in flight; a failed delivery comes back to its
 * own queue only, after the configured delay, then lands among the dead letters. Nothing
 * survives the process.
 */
export function createMemoryBroker(opts: MemoryBrokerOptions = {}): MessageBroker {
  const logger = opts.logger ?? createLogger('broker');
  const queues = new Map<string, Queue>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new Error('broker closed');
  };

  const queueNamed = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) queues.set(name, (queue = { bindings: new Set(), ready: [], dead: [], consumers: [], turn: 0 }));
    return queue;
  };

  const nextConsumer = (queue: Queue): LocalConsumer | undefined => {
    for (let i = 0; i < queue.consumers.length; i++) {
      const consumer = queue.consumers[(queue.turn + i) % queue.consumers.length];
      if (consumer.inFlight.size < consumer.settings.prefetch) {
        queue.turn = (queue.turn + i + 1) % queue.consumers.length;
        return consumer;
      }
    }
    return undefined;
  };

  const pump = (name: string, queue: Queue) => {
    for (let consumer = nextConsumer(queue); consumer && queue.ready.length > 0; consumer = nextConsumer(queue)) {
      deliver(name, queue, consumer, queue.ready.shift()!);
    }
  };

  const fail = (name: string, queue: Queue, consumer: LocalConsumer, message: Stored, err: unknown) => {
    const delay = retryDelay(consumer.settings, message.attempt);
    logger.warn({ err, queue: name, id: message.id, attempt: message.attempt, retryInMs: delay }, 'message handler failed');
    if (delay === undefined) {
      queue.dead.push({ ...message, headers: { ...message.headers, [ERROR_HEADER]: errorText(err) } });
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      queue.ready.push({ ...message, attempt: message.attempt + 1 });
      pump(name, queue);
    }, delay);
    timers.add(timer);
  };

  const deliver = (name: string, queue: Queue, consumer: LocalConsumer, message: Stored) => {
    const run = (async () => {
      // Never inside publish(): a handler starts once the publisher has its answer, as over the network.
      await Promise.resolve();
      try {
        const decoded = decode(message);
        await (tracingOn() ? consumeInSpan('in-memory', name, decoded, consumer.handler) : consumer.handler(decoded));
      } catch (err) {
        fail(name, queue, consumer, message, err);
      }
    })();
    consumer.inFlight.add(run);
    void run.finally(() => {
      consumer.inFlight.delete(run);
      if (consumer.active) pump(name, queue);
    });
  };

  const stop = async (name: string, consumer: LocalConsumer) => {
    if (!consumer.active) return;
    consumer.active = false;
    const queue = queueNamed(name);
    queue.consumers = queue.consumers.filter((c) => c !== consumer);
    await Promise.all(consumer.inFlight);
    // What it had no room for goes to the queue's other consumers, if any.
    pump(name, queue);
  };

  return {
    async publish<T>(routingKey: string, payload: T, options: PublishOptions = {}): Promise<string> {
      assertOpen();
      const id = options.id ?? randomUUID();
      const headers = withTraceHeaders({ ...options.headers });
      const message: Stored = { id, routingKey, json: JSON.stringify(payload) ?? 'null', headers, attempt: 1 };
      for (const [name, queue] of queues) {
        if (![...queue.bindings].some((pattern) => matchesTopic(pattern, routingKey))) continue;
        queue.ready.push({ ...message });
        pump(name, queue);
      }
      return id;
    },

    async consume<T>(name: string, handler: (message: BrokerMessage<T>) => Promise<void>, options: ConsumeOptions): Promise<Consumer> {
      assertOpen();
      const settings = consumerSettings(options);
      const queue = queueNamed(name);
      for (const pattern of settings.bindings) queue.bindings.add(pattern);
      const consumer: LocalConsumer = {
        handler: handler as (message: BrokerMessage) => Promise<void>,
        settings,
        inFlight: new Set(),
        active: true,
      };
      queue.consumers.push(consumer);
      pump(name, queue);
      return { cancel: () => stop(name, consumer) };
    },

    async deadLetters<T>(name: string, limit = 100): Promise<BrokerMessage<T>[]> {
      assertOpen();
      return (queues.get(name)?.dead.slice(0, limit) ?? []).map((m) => decode(m) as BrokerMessage<T>);
    },

    async ping() {
      return !closed;
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...queues].flatMap(([name, queue]) => queue.consumers.map((c) => stop(name, c))));
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

function decode(message: Stored): BrokerMessage {
  return {
    id: message.id,
    routingKey: message.routingKey,
    payload: JSON.parse(message.json),
    headers: { ...message.headers },
    attempt: message.attempt,
  };
}
