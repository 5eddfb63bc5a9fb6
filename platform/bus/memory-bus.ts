import { createLogger, type Logger } from '../logger';
import type { BusEvent, EventBus, Unsubscribe } from './event-bus';
import { compareIds, nextId, normalizeId, ZERO_ID } from './ids';
import { activeTraceParent } from '../tracing/propagation';
import { TopicFanout, type EventSource } from './topic-fanout';

export interface MemoryBusOptions {
  /** Events kept per topic for replay; older ones are dropped. Default 10000. */
  maxLen?: number;
  /** Where failing handlers are reported. Default: a logger named `event-bus`. */
  logger?: Logger;
}

interface Stream {
  /** Oldest first, at most `maxLen`. */
  events: BusEvent[];
  lastId: string;
}

/**
 * The embedded-mode event bus: the same contract as the Redis adapter (same id format, replay,
 * ordering, asynchronous delivery through the same fan-out), inside one process.
 */
export function createMemoryBus(opts: MemoryBusOptions = {}): EventBus {
  const maxLen = opts.maxLen ?? 10_000;
  if (!(maxLen >= 1)) throw new RangeError('maxLen must be at least 1');
  const logger = opts.logger ?? createLogger('event-bus');
  const streams = new Map<string, Stream>();
  const fanouts = new Map<string, TopicFanout>();
  let closed = false;

  const source: EventSource = {
    async range(topic, after, count = Infinity) {
      const events = streams.get(topic)?.events ?? [];
      const start = firstAfter(events, after);
      return events.slice(start, start + count);
    },
    async lastId(topic) {
      return streams.get(topic)?.lastId ?? ZERO_ID;
    },
  };

  const assertOpen = () => {
    if (closed) throw new Error('event bus closed');
  };

  return {
    async publish<T>(topic: string, data: T): Promise<string> {
      assertOpen();
      let stream = streams.get(topic);
      if (!stream) streams.set(topic, (stream = { events: [], lastId: ZERO_ID }));
      stream.lastId = nextId(stream.lastId, Date.now());
      // A JSON round trip, like the Redis adapter's, so subscribers see the same values (dates as
      // strings, no undefined) and never share the publisher's object.
      const event: BusEvent = { id: stream.lastId, topic, data: JSON.parse(JSON.stringify(data) ?? 'null') };
      const traceParent = activeTraceParent();
      if (traceParent) event.traceParent = traceParent;
      stream.events.push(event);
      if (stream.events.length > maxLen) stream.events.splice(0, stream.events.length - maxLen);
      fanouts.get(topic)?.push(event);
      return event.id;
    },

    async subscribe<T>(topic: string, handler: (event: BusEvent<T>) => void, options: { after?: string } = {}): Promise<Unsubscribe> {
      assertOpen();
      const after = options.after === undefined ? undefined : normalizeId(options.after);
      let fanout = fanouts.get(topic);
      if (!fanout) fanouts.set(topic, (fanout = new TopicFanout(topic, source, logger)));
      const subscriber = await fanout.add(handler as (event: BusEvent) => void, after);
      const owner = fanout;
      return async () => {
        if (owner.remove(subscriber) && owner.size === 0 && fanouts.get(topic) === owner) fanouts.delete(topic);
      };
    },

    async history<T>(topic: string, options: { after?: string; limit?: number } = {}): Promise<BusEvent<T>[]> {
      assertOpen();
      const after = options.after === undefined ? ZERO_ID : normalizeId(options.after);
      return (await source.range(topic, after, options.limit)) as BusEvent<T>[];
    },

    available() {
      return !closed;
    },

    async ping() {
      return !closed;
    },

    async close() {
      closed = true;
      for (const fanout of fanouts.values()) fanout.clear();
      fanouts.clear();
      streams.clear();
    },
  };
}

/** Index of the first event with an id greater than `after` (ids are sorted). */
function firstAfter(events: BusEvent[], after: string): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareIds(events[mid].id, after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
