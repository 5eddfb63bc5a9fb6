import { serialQueue } from '../async';
import type { Logger } from '../logger';
import { deliverInSpan } from '../tracing/spans';
import { tracingOn } from '../tracing/tracing';
import type { BusEvent } from './event-bus';
import { compareIds } from './ids';

/** Where a topic's stored events are read from when a subscriber replays or catches up. */
export interface EventSource {
  /** Events with an id greater than `after`, oldest first, at most `count` (all, when unset). */
  range(topic: string, after: string, count?: number): Promise<BusEvent[]>;
  /** Id of the newest event held, or ZERO_ID when there is none. */
  lastId(topic: string): Promise<string>;
}

/** Events read per round trip during a replay. */
const REPLAY_BATCH = 500;

export interface LocalSubscriber {
  readonly handler: (event: BusEvent) => void;
  /** Id of the last event handed to this subscriber: anything at or below it is a duplicate. */
  lastId: string;
  /** False while its replay runs: live events must not overtake replayed ones. */
  live: boolean;
  /** Told after each catch-up that followed a lost upstream (SubscribeOptions.onResumed). */
  readonly onResumed?: () => void;
}

/**
 * The local subscribers of one topic in one process, fed from a single upstream (one Redis
 * subscription, or the in-memory stream). Every step (replay for a new subscriber, live event,
 * catch-up after a reconnect) runs through one serial queue, so events reach each subscriber in
 * id order; and every subscriber remembers its last id, so an event seen twice (live and in a
 * replay) is handed over once.
 */
export class TopicFanout {
  private readonly subscribers = new Set<LocalSubscriber>();
  private readonly enqueue = serialQueue();

  /**
   * @param upstream settles once the upstream delivers live events; a replay reads the stored
   *   events only after that, so an event is either stored before the read or arrives live.
   */
  constructor(
    readonly topic: string,
    private readonly source: EventSource,
    private readonly logger: Logger,
    private readonly upstream: Promise<unknown> = Promise.resolve(),
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Replays the events after `after` (none when unset: the subscriber starts at the newest event
   * held once the upstream is live) to the new subscriber, then makes it live.
   */
  async add(handler: (event: BusEvent) => void, after?: string, onResumed?: () => void): Promise<LocalSubscriber> {
    const subscriber: LocalSubscriber = { handler, lastId: after ?? '', live: false, onResumed };
    this.subscribers.add(subscriber);
    try {
      await this.enqueue(async () => {
        await this.upstream;
        if (after === undefined) subscriber.lastId = await this.source.lastId(this.topic);
        await this.replay(subscriber.lastId, [subscriber]);
        subscriber.live = true;
      });
    } catch (err) {
      this.subscribers.delete(subscriber);
      throw err;
    }
    return subscriber;
  }

  /** Stops delivery to the subscriber at once; returns false when it was already gone. */
  remove(subscriber: LocalSubscriber): boolean {
    return this.subscribers.delete(subscriber);
  }

  clear(): void {
    this.subscribers.clear();
  }

  /** A live event from the upstream. */
  push(event: BusEvent): void {
    void this.enqueue(() => {
      // Traced: one span for this process's delivery of the event, under its publisher's span.
      if (event.traceParent && tracingOn()) return deliverInSpan(this.topic, event, () => this.pushNow(event));
      this.pushNow(event);
    });
  }

  private pushNow(event: BusEvent): void {
    for (const subscriber of this.subscribers) if (subscriber.live) this.deliver(subscriber, event);
  }

  /**
   * After the upstream was lost (events published meanwhile never arrived live), reads what the
   * live subscribers missed once `resumed` (the renewed upstream) has settled; then tells them,
   * when `interrupted` (their `onResumed`).
   */
  catchUp(resumed: Promise<unknown>, interrupted = true): void {
    void this.enqueue(async () => {
      try {
        await resumed;
        const live = [...this.subscribers].filter((s) => s.live);
        if (live.length === 0) return;
        const from = live.map((s) => s.lastId).reduce((min, id) => (compareIds(id, min) < 0 ? id : min));
        await this.replay(from, live);
        if (interrupted) for (const subscriber of live) if (this.subscribers.has(subscriber)) this.resumed(subscriber);
      } catch (err) {
        // Closing the bus rejects the renewed subscription too; that is no failure to report.
        if (this.subscribers.size > 0) this.logger.error({ err, topic: this.topic }, 'event bus catch-up failed');
      }
    });
  }

  private async replay(from: string, targets: LocalSubscriber[]): Promise<void> {
    for (let after = from; ;) {
      const batch = await this.source.range(this.topic, after, REPLAY_BATCH);
      for (const event of batch) for (const subscriber of targets) this.deliver(subscriber, event);
      if (batch.length < REPLAY_BATCH) return;
      after = batch[batch.length - 1].id;
    }
  }

  private deliver(subscriber: LocalSubscriber, event: BusEvent): void {
    if (!this.subscribers.has(subscriber) || compareIds(event.id, subscriber.lastId) <= 0) return;
    subscriber.lastId = event.id;
    try {
      // Handlers are typed as returning void, but an async one returns a promise whose
      // rejection would otherwise be unhandled and take the process down.
      const result: unknown = subscriber.handler(event);
      if (result instanceof Promise) result.catch((err: unknown) => this.handlerFailed(err, event));
    } catch (err) {
      this.handlerFailed(err, event);
    }
  }

  private resumed(subscriber: LocalSubscriber): void {
    try {
      subscriber.onResumed?.();
    } catch (err) {
      this.logger.error({ err, topic: this.topic }, 'event bus resume handler failed');
    }
  }

  private handlerFailed(err: unknown, event: BusEvent): void {
    this.logger.error({ err, topic: this.topic, id: event.id }, 'event handler failed');
  }
}
