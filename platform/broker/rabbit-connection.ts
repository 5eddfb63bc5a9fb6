import { connect, type ChannelModel, type ConfirmChannel, type Options, type RecoveringChannelModel } from 'amqplib';
import { withTimeout } from '../async';
import type { Logger } from '../logger';

export interface RabbitConnectionOptions {
  url: string;
  exchange: string;
  connectionName: string;
  /** How long an operation waits for a connection (and a publish for its confirm). */
  timeoutMs: number;
  logger: Logger;
  /** Runs on every new connection once the publish channel is open: redeclare and re-consume. */
  setup(model: ChannelModel): Promise<void>;
}

/**
 * Before reopening a channel the broker closed on its own (a channel error): a persistent cause
 * (say, a queue redeclared with other arguments) then costs one attempt a second, not a spin.
 */
export const REOPEN_DELAY_MS = 1_000;
const PING_TIMEOUT_MS = 1_000;

/**
 * One AMQP connection that comes back by itself (amqplib recovery: exponential backoff, then
 * `setup` on the new connection), with a confirm channel for publishing that is reopened with it.
 * Operations wait for the connection up to the timeout instead of failing during an outage.
 */
export class RabbitConnection {
  private live: ChannelModel | null = null;
  private publisher: ConfirmChannel | null = null;
  /** Channels that closed: a publish whose confirm was lost with its channel is worth repeating. */
  private readonly closedChannels = new WeakSet<object>();
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private readonly recovering: Promise<RecoveringChannelModel>;

  constructor(private readonly opts: RabbitConnectionOptions) {
    this.recovering = connect(opts.url, {
      clientProperties: { connection_name: opts.connectionName },
      recovery: { initialDelay: 100, maxDelay: 10_000, waitForConnect: false, setup: (model: ChannelModel) => this.setup(model) },
    });
    this.recovering.then(
      (connection) => this.watch(connection),
      (err: unknown) => opts.logger.error({ err }, 'rabbitmq connection could not be created'),
    );
  }

  /** The connection in use, or null during an outage. */
  get current(): ChannelModel | null {
    return this.live;
  }

  /** Waits (up to the timeout) for a connection. */
  connection(): Promise<ChannelModel> {
    return this.until(() => this.live, Date.now() + this.opts.timeoutMs, 'a connection');
  }

  /**
   * Publishes and resolves once the broker confirmed; a confirm lost with its channel (the
   * connection dropped) is retried on the next connection, so the message may arrive twice, never
   * zero times. Rejects on a nack, or when the timeout passes first.
   */
  async publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
    const deadline = Date.now() + this.opts.timeoutMs;
    for (;;) {
      const channel = await this.until(() => this.publisher, deadline, 'the publish channel');
      try {
        const confirmed = new Promise<void>((resolve, reject) => {
          channel.publish(exchange, routingKey, content, options, (err: unknown) => (err ? reject(err) : resolve()));
        });
        await withTimeout(confirmed, deadline - Date.now(), 'RabbitMQ did not confirm the publish in time');
        return;
      } catch (err) {
        if (this.closed || !this.closedChannels.has(channel)) throw err;
      }
    }
  }

  /** True when a connection is up and the broker answers on it. */
  async ping(): Promise<boolean> {
    const model = this.live;
    if (!model || this.closed) return false;
    const roundTrip = model.createChannel().then(async (channel) => {
      channel.on('error', () => undefined);
      await channel.close();
    });
    return withTimeout(roundTrip, PING_TIMEOUT_MS, 'ping timed out').then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    const connection = await this.recovering;
    await connection.close();
  }

  private async setup(model: ChannelModel): Promise<void> {
    let lost = false;
    // Until setup resolves amqplib has no listener of its own on this connection, and an
    // unheard 'error' event would crash the process.
    model.on('error', (err: Error) => this.opts.logger.warn({ err }, 'rabbitmq connection error'));
    model.once('close', () => {
      lost = true;
      if (this.live !== model) return;
      this.live = null;
      this.publisher = null;
    });
    this.live = model;
    const publisher = await this.openPublisher(model);
    if (!lost) {
      this.publisher = publisher;
      this.wake();
      await this.opts.setup(model);
    }
    // amqplib watches the connection only after setup resolved: one lost before then must fail
    // setup, or recovery would never notice.
    if (lost) throw new Error('connection lost during setup');
  }

  private async openPublisher(model: ChannelModel): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) => this.opts.logger.warn({ err }, 'rabbitmq publish channel error'));
    channel.once('close', () => {
      this.closedChannels.add(channel);
      if (this.publisher !== channel) return;
      this.publisher = null;
      this.reopenPublisherLater(model);
    });
    await channel.assertExchange(this.opts.exchange, 'topic', { durable: true });
    return channel;
  }

  /** A channel error (e.g. the exchange was deleted) closes only the channel, not the connection. */
  private reopenPublisherLater(model: ChannelModel): void {
    setTimeout(() => {
      if (this.closed || this.live !== model || this.publisher) return;
      this.openPublisher(model).then(
        (channel) => {
          this.publisher = channel;
          this.wake();
        },
        (err: unknown) => {
          this.opts.logger.error({ err }, 'rabbitmq publish channel could not be reopened');
          this.reopenPublisherLater(model);
        },
      );
    }, REOPEN_DELAY_MS).unref();
  }

  private watch(connection: RecoveringChannelModel): void {
    const { logger } = this.opts;
    connection.on('connect', () => logger.info('rabbitmq connected'));
    connection.on('disconnect', (err: Error) => logger.warn({ err }, 'rabbitmq connection lost'));
    connection.on('connect-failed', (err: Error) => logger.warn({ err }, 'rabbitmq connection attempt failed'));
    connection.on('reconnect-failed', (err: Error) => logger.error({ err }, 'rabbitmq recovery gave up'));
    // Each connection's errors are logged by the listener setup gives it; this one only keeps the
    // re-emitted copy from crashing the process as an unheard 'error' event.
    connection.on('error', () => undefined);
    connection.on('blocked', (reason: string) => logger.warn({ reason }, 'rabbitmq blocked publishing'));
    connection.on('handler-error', (err: Error, event: string) => logger.error({ err, event }, 'rabbitmq listener failed'));
  }

  private async until<T>(get: () => T | null, deadline: number, what: string): Promise<T> {
    for (;;) {
      if (this.closed) throw new Error('broker closed');
      const value = get();
      if (value) return value;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what} to RabbitMQ`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, remaining);
        this.waiters.add(wake);
      });
    }
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
