import type { BusEvent, EventBus, Unsubscribe } from '../bus/event-bus';
import { normalizeId } from '../bus/ids';
import { badInput } from '../errors';
import type { Sharing } from './subscription-protocol';

/** What the subscription server needs to know about a feed a subscription field returned. */
export interface FeedInfo {
  sharing: Sharing;
  replays: boolean;
  /** Position of an event in the feed, handed to the gateway so it can resume after it. */
  cursorOf(event: unknown): string | undefined;
}

/** The FeedInfo of an iterator made here; undefined for any other source (treated as personal, not resumable). */
export function feedInfo(source: object): FeedInfo | undefined {
  return source instanceof BusFeed ? source.info : undefined;
}

export interface LiveFeedOptions {
  /** Replay every event after this id (the client's `after`), then continue live. Unset: start with the next event. */
  after?: string | null;
  /** How the gateway may share this feed between clients; see `Sharing`. */
  sharing: Sharing;
  /**
   * Events held for a reader that does not keep up. Past it the feed fails rather than grow
   * without bound; the gateway re-subscribes from its last cursor and misses nothing the stream
   * still holds. Default 10000.
   */
  maxQueued?: number;
}

/** Bus-backed sources for subscription fields, given to their `subscribe` in the context (`ctx.live`). */
export interface LiveFeeds {
  topic<T>(topic: string, opts: LiveFeedOptions): AsyncIterableIterator<BusEvent<T>>;
}

/**
 * @param resumeAfter the gateway's last cursor when it re-subscribes after losing the
 *   connection; it wins over the client's `after`, which the gateway has already served.
 */
export function createLiveFeeds(bus: EventBus, resumeAfter?: string): LiveFeeds {
  return {
    topic<T>(topic: string, opts: LiveFeedOptions) {
      let after: string | undefined;
      try {
        after = resumeAfter ?? (opts.after == null ? undefined : normalizeId(opts.after));
      } catch {
        throw badInput('`after` must be the id of an event', 'after');
      }
      const info: FeedInfo = { sharing: opts.sharing, replays: opts.after != null, cursorOf: (event) => (event as BusEvent).id };
      return new BusFeed<T>(bus, topic, after, opts.maxQueued ?? 10_000, info);
    },
  };
}

/**
 * One subscription's view of a bus topic. An explicit iterator rather than an async generator:
 * a generator suspended on an `await` runs `return()` only once its next value arrives, which
 * leaks one bus listener per closed subscription of a quiet topic. It is also lazy: nothing is
 * subscribed until the first `next()`, so an admission check that only calls the field's
 * `subscribe` and closes the result costs no bus traffic.
 */
class BusFeed<T> implements AsyncIterableIterator<BusEvent<T>> {
  private readonly queue: BusEvent<T>[] = [];
  private wake?: () => void;
  private subscription?: Promise<Unsubscribe>;
  private ended = false;
  private failure?: Error;

  constructor(
    private readonly bus: EventBus,
    private readonly topic: string,
    private readonly after: string | undefined,
    private readonly maxQueued: number,
    readonly info: FeedInfo,
  ) {}

  [Symbol.asyncIterator]() {
    return this;
  }

  async next(): Promise<IteratorResult<BusEvent<T>>> {
    if (!this.subscription && !this.ended) {
      this.subscription = this.bus.subscribe<T>(this.topic, (event) => this.push(event), { after: this.after });
      this.subscription.catch((err: unknown) => this.fail(err instanceof Error ? err : new Error(String(err))));
    }
    for (;;) {
      if (this.queue.length > 0) return { value: this.queue.shift()!, done: false };
      if (this.failure) {
        const failure = this.failure;
        this.stop();
        throw failure;
      }
      if (this.ended) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<BusEvent<T>>> {
    this.stop();
    return { value: undefined, done: true };
  }

  private push(event: BusEvent<T>): void {
    if (this.ended) return;
    if (this.queue.length >= this.maxQueued)
      return this.fail(new Error('Subscription reader too slow; resume from the last event received'));
    this.queue.push(event);
    this.notify();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.length = 0;
    this.notify();
    // Not awaited: while the bus backend is away the subscription may not settle for a while,
    // and a closing client must not wait for that. The listener is removed once it does.
    this.subscription?.then((unsubscribe) => unsubscribe()).catch(() => undefined);
  }
}
