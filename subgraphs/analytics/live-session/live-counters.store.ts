import type Redis from 'ioredis';
import type { LiveCountersState } from './live-counters';

/**
 * Where a running session's counters are kept between events, with the id of the last event
 * they count: a watcher (re)started after a restart resumes after it, so nothing counts twice.
 */
export interface LiveCountersStore {
  load(schoolId: string, sessionId: string): Promise<LiveCountersState | undefined>;
  /** Keeps `state` unless what is kept already counts a later event (another replica got further). */
  save(schoolId: string, sessionId: string, state: LiveCountersState): Promise<void>;
  remove(schoolId: string, sessionId: string): Promise<void>;
}

/** The embedded mode's: this process only (its bus is in-process too, so a restart starts both afresh). */
export function memoryCountersStore(): LiveCountersStore {
  const states = new Map<string, string>();
  const key = (schoolId: string, sessionId: string) => `${schoolId}:${sessionId}`;
  return {
    async load(schoolId, sessionId) {
      const json = states.get(key(schoolId, sessionId));
      return json ? (JSON.parse(json) as LiveCountersState) : undefined;
    },
    async save(schoolId, sessionId, state) {
      states.set(key(schoolId, sessionId), JSON.stringify(state));
    },
    async remove(schoolId, sessionId) {
      states.delete(key(schoolId, sessionId));
    },
  };
}

/**
 * Saves KEYS[1] = { id: ARGV[1], state: ARGV[2] } unless its id is later (stream ids `<ms>-<seq>`,
 * compared as numbers: ms has 13 digits, well inside a double), and renews its expiry (ARGV[3] ms).
 */
const SAVE = `
local kept = redis.call('HGET', KEYS[1], 'id')
if kept then
  local km, ks = string.match(kept, '^(%d+)-(%d+)$')
  local nm, ns = string.match(ARGV[1], '^(%d+)-(%d+)$')
  km, ks, nm, ns = tonumber(km), tonumber(ks), tonumber(nm), tonumber(ns)
  if km and nm and (km > nm or (km == nm and ks >= ns)) then return 0 end
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'state', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

type StoreRedis = Redis & { liveCountersSave(key: string, id: string, state: string, ttlMs: number): Promise<number> };

export interface RedisCountersStoreOptions {
  /** The deployment's REDIS_KEY_PREFIX. */
  keyPrefix: string;
  /** A session untouched this long is forgotten (one that never ended leaves no litter). Default 2 days. */
  ttlMs?: number;
}

/**
 * Production's: one hash per running session, shared by the replicas. Each replica watching a
 * session counts the same stream to the same figures; the compare-and-set keeps the furthest.
 */
export function redisCountersStore(redis: Redis, opts: RedisCountersStoreOptions): LiveCountersStore {
  if (!('liveCountersSave' in redis)) redis.defineCommand('liveCountersSave', { numberOfKeys: 1, lua: SAVE });
  const ttlMs = opts.ttlMs ?? 2 * 86_400_000;
  const key = (schoolId: string, sessionId: string) => `${opts.keyPrefix}analytics:live-counters:${schoolId}:${sessionId}`;
  return {
    async load(schoolId, sessionId) {
      const json = await redis.hget(key(schoolId, sessionId), 'state');
      return json ? (JSON.parse(json) as LiveCountersState) : undefined;
    },
    async save(schoolId, sessionId, state) {
      await (redis as StoreRedis).liveCountersSave(key(schoolId, sessionId), state.lastEventId, JSON.stringify(state), ttlMs);
    },
    async remove(schoolId, sessionId) {
      await redis.del(key(schoolId, sessionId));
    },
  };
}
