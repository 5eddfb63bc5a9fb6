/**
 * Durable delivery of domain events (`enrollment.created`, `payment.succeeded`, …) and jobs
 * (notifications, reports): a topic exchange with routing keys; each consumer owns a durable
 * queue bound to patterns. At-least-once: a publish resolves only once the broker confirmed it,
 * a delivery is acked only after its handler succeeded, failures are retried with a delay and
 * then dead-lettered. Handlers must be idempotent (use `message.id`).
 * Adapters: RabbitMQ (amqplib) and in-process (embedded mode), with the same behaviour.
 */
export interface BrokerMessage<T = unknown> {
  /** Unique per message; stays the same across retries and redeliveries (idempotency key). */
  id: string;
  routingKey: string;
  payload: T;
  headers: Record<string, string>;
  /** 1 on the first delivery, 2 on the first retry, … */
  attempt: number;
}

export interface PublishOptions {
  /** Defaults to a random UUID; pass the outbox row id so a republish keeps the same id. */
  id?: string;
  headers?: Record<string, string>;
}

export interface ConsumeOptions {
  /** Routing-key patterns (`*` one word, `#` zero or more) bound to the queue. */
  bindings: string[];
  /** Delays before each retry; after the last one the message goes to `<queue>.dead`. Default [1000, 10000, 60000]. */
  retryDelaysMs?: number[];
  /** Unacked deliveries in flight for this consumer. Default 20. */
  prefetch?: number;
}

export interface Consumer {
  /** Stops taking new deliveries and waits for the ones in flight. */
  cancel(): Promise<void>;
}

export interface MessageBroker {
  publish<T>(routingKey: string, payload: T, opts?: PublishOptions): Promise<string>;
  consume<T>(queue: string, handler: (message: BrokerMessage<T>) => Promise<void>, opts: ConsumeOptions): Promise<Consumer>;
  /** Messages that exhausted their retries, oldest first (for inspection and replay). */
  deadLetters<T>(queue: string, limit?: number): Promise<BrokerMessage<T>[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
