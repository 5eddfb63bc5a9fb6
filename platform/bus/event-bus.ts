/**
 * Live events (classroom, chat, dashboards): appended to a capped stream per topic so a client
 * can resume after a reconnect from the last id it saw, and fanned out to live subscribers.
 * Two adapters with the same behaviour: Redis Streams (production) and in-process (embedded).
 */
export interface BusEvent<T = unknown> {
  /** Stream position, strictly increasing within a topic; pass it back as `after` to resume. */
  id: string;
  topic: string;
  data: T;
  /**
   * With tracing on (platform/tracing): the W3C `traceparent` of the span that published it, so
   * each process's delivery continues that trace. Absent otherwise, and in replays' older events.
   */
  traceParent?: string;
}

export type Unsubscribe = () => Promise<void>;

export interface SubscribeOptions {
  /** Replay every event still held with an id greater than this one, then continue live. */
  after?: string;
  /**
   * Called each time the subscription resumes after its backend connection was lost, once the
   * catch-up from the stream has run. The stream may not have held everything published
   * meanwhile (the backend came back without its data, or trimmed the stream), so a subscriber
   * that must not miss anything reloads from its own source of truth here.
   */
  onResumed?: () => void;
}

/** The backend cannot be reached: nothing was appended (or, after a timeout, it may be later). */
export class BusUnavailableError extends Error {
  constructor(message = 'event bus unavailable') {
    super(message);
    this.name = 'BusUnavailableError';
  }
}

export interface EventBus {
  /**
   * Appends `data` to the topic's stream and delivers it to subscribers; resolves with its id.
   * While the backend is unreachable the call waits (bounded) and the event is delivered once it
   * is back; past the bound it rejects with BusUnavailableError (the event stays queued).
   */
  publish<T>(topic: string, data: T): Promise<string>;
  /**
   * Calls `handler` for each event of the topic, in stream order, never twice for one id, with
   * no gap between the replay (`after`) and the live part, and across backend reconnects for
   * as long as the stream still holds the events.
   */
  subscribe<T>(topic: string, handler: (event: BusEvent<T>) => void, opts?: SubscribeOptions): Promise<Unsubscribe>;
  /** Events with an id greater than `after` (all held, when unset), oldest first, at most `limit`. */
  history<T>(topic: string, opts?: { after?: string; limit?: number }): Promise<BusEvent<T>[]>;
  /**
   * True when the backend is connected right now, so a publish would not wait: callers that
   * would rather refuse than wait (a user's action) check it first. Synchronous and free.
   */
  available(): boolean;
  /** True when the backend answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Publishes without holding the caller up for long: waits at most `waitMs` for the append.
 * Past that (the backend is away) the event stays in the bus's queue, appended and delivered once
 * the backend is back, and this resolves undefined; `onFailure` hears if it fails for good. For
 * announcements that follow a change already committed elsewhere (a database write), where
 * delivering late beats both failing the request and holding it for the bus's whole timeout.
 */
export async function publishSoon<T>(
  bus: EventBus,
  topic: string,
  data: T,
  waitMs: number,
  onFailure: (err: unknown) => void,
): Promise<string | undefined> {
  const published = bus.publish(topic, data).catch((err: unknown) => {
    onFailure(err);
    return undefined;
  });
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
  try {
    return await Promise.race([published, waited]);
  } finally {
    clearTimeout(timer);
  }
}
