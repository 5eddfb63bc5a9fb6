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
}

export type Unsubscribe = () => Promise<void>;

export interface SubscribeOptions {
  /** Replay every event still held with an id greater than this one, then continue live. */
  after?: string;
}

export interface EventBus {
  /**
   * Appends `data` to the topic's stream and delivers it to subscribers; resolves with its id.
   * While the backend is unreachable the call waits (bounded) and the event is delivered once it is back.
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
  /** True when the backend answers (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
