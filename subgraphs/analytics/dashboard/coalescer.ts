import type Redis from 'ioredis';
import type { Logger } from '../../../platform/logger';

/** Shares one topic's publishing slots between replicas. */
export interface PublishGate {
  /** Takes the topic's slot for `ms`: resolves 0 when taken, else the milliseconds until it frees. */
  acquire(topic: string, ms: number): Promise<number>;
}

/** `SET NX PX`, and when the slot is taken, its remaining time in the same round trip. */
const ACQUIRE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then return 1 end
return left`;

type GateRedis = Redis & { dashboardGate(key: string, ms: number): Promise<number> };

/**
 * The slot of every replica of the subgraph in Redis: whoever takes a topic's key first publishes,
 * the others wait until it expires. A key lives one interval, so nothing needs cleaning up.
 */
export function redisPublishGate(redis: Redis, keyPrefix: string): PublishGate {
  if (!('dashboardGate' in redis)) redis.defineCommand('dashboardGate', { numberOfKeys: 1, lua: ACQUIRE });
  return {
    acquire: (topic, ms) => (redis as GateRedis).dashboardGate(`${keyPrefix}dashboard-gate:${topic}`, ms),
  };
}

export interface CoalescerOptions {
  /** Least pause between two values of one topic (AnalyticsConfig.dashboardIntervalMs; default 1000 there). */
  intervalMs: number;
  /** Sends a value (the bus's publish). */
  publish(topic: string, value: unknown): Promise<unknown>;
  /** With several replicas: one slot per interval for all of them. Default none (this process alone publishes). */
  gate?: PublishGate;
  logger: Logger;
}

/** What a topic's value is computed with, when it is sent. */
export type Compute = () => Promise<unknown>;

export interface Coalescer {
  /** The topic's value changed; `compute` reads it (the newest call's is used). Never throws. */
  changed(topic: string, compute: Compute): void;
  /** Drops what is pending and lets the sends under way finish. */
  stop(): Promise<void>;
}

interface TopicState {
  compute: Compute;
  /** A change not sent yet. */
  pending: boolean;
  /** The end of the topic's current window (or the gate's retry). */
  timer?: NodeJS.Timeout;
  sending?: Promise<void>;
}

/**
 * At most one value per topic per interval, the last one winning. The first change after a quiet
 * interval is sent at once; changes during a send or the interval after it are folded into one
 * send when the interval ends. Values are computed when sent, so what goes out is the state at
 * that moment, never a stale one. A topic is forgotten once an interval passes without a change.
 *
 * The interval counts from the moment a value was published (after its computation), so two
 * values of a topic reach a subscriber at least an interval apart, however long computing took.
 * With a gate, a value computed while another replica holds the topic's slot is dropped and the
 * topic tried again when the slot frees, with a fresh value.
 *
 * Failures (computing, the gate, the bus) are logged and that value skipped: a dashboard that
 * misses a beat catches up with the next change.
 */
export function createCoalescer(opts: CoalescerOptions): Coalescer {
  const topics = new Map<string, TopicState>();
  let stopped = false;

  const later = (topic: string, state: TopicState, ms: number) => {
    if (stopped) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (stopped) return;
      if (state.pending) send(topic, state);
      else topics.delete(topic);
    }, ms);
  };

  const send = (topic: string, state: TopicState) => {
    state.pending = false;
    state.sending = (async () => {
      let wait = opts.intervalMs;
      try {
        const value = await state.compute();
        const busy = opts.gate ? await opts.gate.acquire(topic, opts.intervalMs) : 0;
        if (busy > 0) {
          // Another replica sent this topic lately: try again, with a fresh value, when its slot frees.
          state.pending = true;
          wait = busy;
        } else {
          await opts.publish(topic, value);
        }
      } catch (err) {
        opts.logger.warn({ err, topic }, 'could not send a dashboard update');
      } finally {
        state.sending = undefined;
        later(topic, state, wait);
      }
    })();
  };

  return {
    changed(topic, compute) {
      if (stopped) return;
      const state = topics.get(topic);
      if (state) {
        state.compute = compute;
        state.pending = true;
        return;
      }
      const fresh: TopicState = { compute, pending: true };
      topics.set(topic, fresh);
      send(topic, fresh);
    },
    async stop() {
      stopped = true;
      const sending = [...topics.values()].map((s) => {
        clearTimeout(s.timer);
        return s.sending;
      });
      topics.clear();
      await Promise.all(sending);
    },
  };
}
