import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from '../logger';
import { ERROR_HEADER, errorText, retryDelay, type ConsumerSettings } from './delivery-policy';
import type { BrokerMessage } from './message-broker';
import { REOPEN_DELAY_MS, type RabbitConnection } from './rabbit-connection';
import { attemptOf, deadQueue, decodeMessage, redirectOptions, retryQueue } from './rabbit-codec';
import { consumeInSpan } from '../tracing/spans';
import { tracingOn } from '../tracing/tracing';

/**
 * One `consume` registration: its own channel (so its prefetch and any channel error stay its
 * own), re-opened on every new connection and after a channel error.
 *
 * Topology per queue: `<queue>` bound to the patterns; `<queue>.retry.<ms>` per delay, whose
 * queue-level TTL dead-letters an expired message through the default exchange back to `<queue>`
 * only (other queues bound to the same key never see a retry); `<queue>.dead` at the end.
 */
export class RabbitConsumer {
  private channel: Channel | null = null;
  private consumerTag: string | null = null;
  private attaching: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private cancelled = false;

  constructor(
    private readonly queue: string,
    private readonly handler: (message: BrokerMessage) => Promise<void>,
    private readonly settings: ConsumerSettings,
    private readonly exchange: string,
    private readonly connection: RabbitConnection,
    private readonly logger: Logger,
  ) {}

  /** Declares the topology and starts consuming on `model`, unless that is done or under way. */
  attach(model: ChannelModel): Promise<void> {
    if (this.channel || this.cancelled) return Promise.resolve();
    this.attaching ??= this.open(model).finally(() => {
      this.attaching = null;
    });
    return this.attaching;
  }

  /** Like attach, for a new connection's setup: a failure here must not fail the other consumers. */
  async attachOrRetry(model: ChannelModel): Promise<void> {
    try {
      await this.attach(model);
    } catch (err) {
      this.logger.error({ err, queue: this.queue }, 'rabbitmq consumer could not start');
      this.reattachLater(model);
    }
  }

  /** Stops new deliveries, waits for the handlers under way (and their ack or retry), then closes. */
  async cancel(): Promise<void> {
    if (this.cancelled) return;
    this.cancelled = true;
    await this.attaching?.catch(() => undefined);
    const channel = this.channel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    this.channel = null;
    await channel?.close().catch(() => undefined);
  }

  private async open(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (err: Error) => this.logger.warn({ err, queue: this.queue }, 'rabbitmq consumer channel error'));
    channel.once('close', () => {
      if (this.channel !== channel) return;
      this.channel = null;
      this.consumerTag = null;
      if (!this.cancelled) this.reattachLater(model);
    });
    try {
      await this.declare(channel);
      await channel.prefetch(this.settings.prefetch);
      const { consumerTag } = await channel.consume(this.queue, (message) => this.onDelivery(channel, message), { noAck: false });
      this.channel = channel;
      this.consumerTag = consumerTag;
    } catch (err) {
      await channel.close().catch(() => undefined);
      throw err;
    }
  }

  private async declare(channel: Channel): Promise<void> {
    // The publish channel declares the exchange too, but a consumer may get here first on a new broker.
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    await channel.assertQueue(this.queue, { durable: true });
    for (const pattern of this.settings.bindings) await channel.bindQueue(this.queue, this.exchange, pattern);
    for (const delay of new Set(this.settings.retryDelaysMs)) {
      await channel.assertQueue(retryQueue(this.queue, delay), {
        durable: true,
        messageTtl: delay,
        deadLetterExchange: '',
        deadLetterRoutingKey: this.queue,
      });
    }
    await channel.assertQueue(deadQueue(this.queue), { durable: true });
  }

  /** After a channel error on a connection that is still up; a new connection's setup covers the rest. */
  private reattachLater(model: ChannelModel): void {
    setTimeout(() => {
      if (!this.cancelled && this.connection.current === model) void this.attachOrRetry(model);
    }, REOPEN_DELAY_MS).unref();
  }

  private onDelivery(channel: Channel, message: ConsumeMessage | null): void {
    if (!message) {
      // The broker cancelled the consumer (its queue was deleted): a fresh channel redeclares it.
      this.logger.warn({ queue: this.queue }, 'rabbitmq cancelled the consumer; starting it again');
      channel.close().catch(() => undefined);
      return;
    }
    const task = this.handle(channel, message);
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    try {
      const decoded = decodeMessage(message);
      await (tracingOn() ? consumeInSpan('rabbitmq', this.queue, decoded, this.handler) : this.handler(decoded));
    } catch (err) {
      if (!(await this.reroute(message, err))) {
        settle(() => channel.nack(message, false, true));
        return;
      }
    }
    settle(() => channel.ack(message));
  }

  /** Sends a failed message to its next retry queue, or to the dead queue; false when that failed. */
  private async reroute(message: ConsumeMessage, err: unknown): Promise<boolean> {
    const attempt = attemptOf(message);
    const delay = retryDelay(this.settings, attempt);
    const id = message.properties.messageId as string | undefined;
    this.logger.warn({ err, queue: this.queue, id, attempt, retryInMs: delay }, 'message handler failed');
    const [target, options] =
      delay === undefined
        ? [deadQueue(this.queue), redirectOptions(message, attempt, { [ERROR_HEADER]: errorText(err) })]
        : [retryQueue(this.queue, delay), redirectOptions(message, attempt + 1)];
    try {
      await this.connection.publish('', target, message.content, options);
      return true;
    } catch (publishErr) {
      this.logger.error({ err: publishErr, queue: this.queue, id }, 'could not schedule the retry; the message is requeued');
      return false;
    }
  }
}

/**
 * Acks and nacks on a channel that closed meanwhile throw; the broker has then requeued the
 * delivery itself, which is the outcome wanted anyway.
 */
function settle(action: () => void): void {
  try {
    action();
  } catch {
    // nothing to do: see above
  }
}
