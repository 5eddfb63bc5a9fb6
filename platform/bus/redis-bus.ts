/**
 * The production event bus on Redis: one capped stream per topic (the history a client resumes
 * from) and pub/sub for live fan-out.
 *
 * Why pub/sub plus catch-up rather than one connection blocked in `XREAD` over every topic:
 * - Cost per event stays O(1) here. A blocking `XREAD` returns on every append to any of its
 *   streams and must then be re-sent with the full list of keys and last ids, so a gateway
 *   following thousands of classrooms would resend thousands of keys per event; every change of
 *   the topic set also has to interrupt the blocked read (`CLIENT UNBLOCK` with a client id that
 *   changes on every reconnect, or a polling timeout that delays new subscriptions).
 * - Pub/sub is at-most-once, so it is never trusted alone:
 *   - the append and the publish run in one Lua script, so the order of the live messages is the
 *     order of the stream ids and a live message exists for every stored event;
 *   - a replay reads the stream only after the channel subscription is confirmed, so an event is
 *     either stored before the read or delivered live afterwards: no gap; an event seen both ways
 *     is dropped by id (each local subscriber remembers its last id): no duplicate;
 *   - after the subscriber connection comes back (Redis restart, network loss, or Redis dropping
 *     a slow subscriber at its output-buffer limit), every channel is subscribed again and the
 *     stream is read from the oldest last id of the live subscribers (`XRANGE (<id> +`).
 * - There is one channel subscription per topic per process; local subscribers share it through a
 *   TopicFanout, and the last one leaving unsubscribes.
 */
import { Redis } from 'ioredis';
import { withTimeout } from '../async';
import { createLogger, type Logger } from '../logger';
import { reportOutages } from '../redis';
import { BusUnavailableError, type BusEvent, type EventBus, type SubscribeOptions, type Unsubscribe } from './event-bus';
import { normalizeId, ZERO_ID } from './ids';
import { activeTraceParent } from '../tracing/propagation';
import { TopicFanout, type EventSource, type LocalSubscriber } from './topic-fanout';

export interface RedisBusOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Approximate length cap of each topic's stream (`XADD MAXLEN ~`): Redis keeps at least this many. Default 10000. */
  maxLen?: number;
  /** Prefix of the stream keys and channels: topic `t` lives at `<keyPrefix>bus:<t>`. Default 'manassa:'. */
  keyPrefix?: string;
  /**
   * How long `publish` waits for an unreachable Redis before rejecting (BusUnavailableError). The command stays queued,
   * so a rejected event may still be appended once Redis is back. Default 30000 ms.
   */
  publishTimeoutMs?: number;
  /** Default: a logger named `event-bus`. */
  logger?: Logger;
}

/** `ping()` answers false rather than waiting longer than this for PONG. */
const PING_TIMEOUT_MS = 1_000;

/**
 * Appends and publishes atomically: KEYS[1] stream (and channel), ARGV[1] maxLen, ARGV[2] JSON
 * data, ARGV[3] the publisher's `traceparent` or empty. The live message is `<id> <data>`, or
 * `<id> <traceparent> <data>` with a trace context (a traceparent starts `00-`, which no JSON
 * does); the stream entry keeps it as field `tp`.
 */
const APPEND_SCRIPT = `
if ARGV[3] == '' then
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'data', ARGV[2])
  redis.call('PUBLISH', KEYS[1], id .. ' ' .. ARGV[2])
  return id
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'data', ARGV[2], 'tp', ARGV[3])
redis.call('PUBLISH', KEYS[1], id .. ' ' .. ARGV[3] .. ' ' .. ARGV[2])
return id`;

type BusRedis = Redis & { busAppend(key: string, maxLen: number, data: string, traceParent: string): Promise<string> };

interface Topic {
  fanout: TopicFanout;
  name: string;
}

export function createRedisBus(opts: RedisBusOptions): EventBus {
  const maxLen = opts.maxLen ?? 10_000;
  const keyPrefix = opts.keyPrefix ?? 'manassa:';
  const publishTimeoutMs = opts.publishTimeoutMs ?? 30_000;
  const logger = opts.logger ?? createLogger('event-bus');
  const keyOf = (topic: string) => `${keyPrefix}bus:${topic}`;

  // Publishing, replays and history: without a retry limit a command waits in the offline queue
  // while Redis is away and runs once it is back, instead of failing after 20 reconnect attempts.
  const commands = new Redis(opts.url, { maxRetriesPerRequest: null, connectionName: 'manassa-bus' }) as BusRedis;
  commands.defineCommand('busAppend', { numberOfKeys: 1, lua: APPEND_SCRIPT });
  // Subscriptions are renewed by the 'ready' handler below, which must also trigger the catch-up;
  // ioredis's own resubscription would do the first half without telling us when it is done.
  const subscriber = new Redis(opts.url, {
    maxRetriesPerRequest: null,
    autoResubscribe: false,
    connectionName: 'manassa-bus-sub',
  });

  /** By stream key, which is also the channel name. */
  const topics = new Map<string, Topic>();
  let closed = false;

  reportOutages(commands, logger, 'manassa-bus');
  reportOutages(subscriber, logger, 'manassa-bus-sub');

  subscriber.on('message', (channel: string, message: string) => {
    const topic = topics.get(channel);
    if (!topic) return;
    const space = message.indexOf(' ');
    try {
      if (message.startsWith(TRACEPARENT_VERSION, space + 1)) {
        const end = message.indexOf(' ', space + 1);
        const event: BusEvent = { id: message.slice(0, space), topic: topic.name, data: JSON.parse(message.slice(end + 1)) };
        event.traceParent = message.slice(space + 1, end);
        topic.fanout.push(event);
        return;
      }
      topic.fanout.push({ id: message.slice(0, space), topic: topic.name, data: JSON.parse(message.slice(space + 1)) });
    } catch (err) {
      logger.error({ err, channel }, 'unreadable event bus message');
    }
  });

  let connectedBefore = false;
  subscriber.on('ready', () => {
    // The first connection only carries subscriptions made before it: nothing was interrupted.
    const reconnected = connectedBefore;
    connectedBefore = true;
    if (topics.size === 0) return;
    const resumed = subscriber.subscribe(...topics.keys());
    for (const topic of topics.values()) topic.fanout.catchUp(resumed, reconnected);
  });

  const source: EventSource = {
    async range(topic, after, count) {
      const entries =
        count === undefined
          ? await commands.xrange(keyOf(topic), `(${after}`, '+')
          : await commands.xrange(keyOf(topic), `(${after}`, '+', 'COUNT', count);
      return entries.map(([id, fields]) => toEvent(topic, id, fields));
    },
    async lastId(topic) {
      const [newest] = await commands.xrevrange(keyOf(topic), '+', '-', 'COUNT', 1);
      return newest ? newest[0] : ZERO_ID;
    },
  };

  const assertOpen = () => {
    if (closed) throw new Error('event bus closed');
  };

  const release = async (key: string, topic: Topic, local: LocalSubscriber) => {
    if (!topic.fanout.remove(local) || topic.fanout.size > 0 || topics.get(key) !== topic) return;
    topics.delete(key);
    const done = subscriber.unsubscribe(key).catch((err: unknown) => logger.warn({ err, key }, 'event bus unsubscribe failed'));
    // While disconnected the UNSUBSCRIBE waits in the offline queue; the renewed connection will
    // not subscribe this channel anyway, so there is nothing to wait for.
    if (subscriber.status === 'ready') await done;
  };

  return {
    async publish<T>(topic: string, data: T): Promise<string> {
      assertOpen();
      const appended = commands.busAppend(keyOf(topic), maxLen, JSON.stringify(data) ?? 'null', activeTraceParent() ?? '');
      try {
        return await withTimeout(appended, publishTimeoutMs, `event bus publish to "${topic}" timed out`);
      } catch (err) {
        // A timeout, or the connection dropped for good: either way Redis is what failed, and
        // callers tell that apart from their own mistakes by the type.
        throw err instanceof BusUnavailableError ? err : new BusUnavailableError((err as Error).message);
      }
    },

    async subscribe<T>(topicName: string, handler: (event: BusEvent<T>) => void, options: SubscribeOptions = {}): Promise<Unsubscribe> {
      assertOpen();
      const after = options.after === undefined ? undefined : normalizeId(options.after);
      const key = keyOf(topicName);
      let topic = topics.get(key);
      if (!topic) {
        topic = { name: topicName, fanout: new TopicFanout(topicName, source, logger, subscriber.subscribe(key)) };
        topics.set(key, topic);
      }
      const owner = topic;
      let local: LocalSubscriber;
      try {
        local = await owner.fanout.add(handler as (event: BusEvent) => void, after, options.onResumed);
      } catch (err) {
        if (owner.fanout.size === 0 && topics.get(key) === owner) {
          topics.delete(key);
          subscriber.unsubscribe(key).catch(() => undefined);
        }
        throw err;
      }
      return () => release(key, owner, local);
    },

    async history<T>(topic: string, options: { after?: string; limit?: number } = {}): Promise<BusEvent<T>[]> {
      assertOpen();
      if (options.limit !== undefined && options.limit <= 0) return [];
      const after = options.after === undefined ? ZERO_ID : normalizeId(options.after);
      return (await source.range(topic, after, options.limit)) as BusEvent<T>[];
    },

    available() {
      return !closed && commands.status === 'ready';
    },

    async ping() {
      // Between reconnect attempts the answer is known; otherwise (connected, or connecting for
      // the first time) PING decides.
      if (closed || commands.status === 'reconnecting' || commands.status === 'end') return false;
      try {
        return (await withTimeout(commands.ping(), PING_TIMEOUT_MS, 'ping timed out')) === 'PONG';
      } catch {
        return false;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const topic of topics.values()) topic.fanout.clear();
      topics.clear();
      // QUIT lets pending replies arrive; when Redis is away it would wait forever, so drop the
      // connection instead (queued commands then reject).
      await Promise.allSettled(
        [commands, subscriber].map((connection) => (connection.status === 'ready' ? connection.quit() : connection.disconnect())),
      );
    },
  };
}

/** A live message with a trace context: `<id> 00-<trace id>-<span id>-<flags> <data>`. */
const TRACEPARENT_VERSION = '00-';

function toEvent(topic: string, id: string, fields: string[]): BusEvent {
  const at = fields.indexOf('data');
  const event: BusEvent = { id, topic, data: at >= 0 ? JSON.parse(fields[at + 1]) : null };
  if (fields.length > 2) {
    const tp = fields.indexOf('tp');
    if (tp >= 0) event.traceParent = fields[tp + 1];
  }
  return event;
}
