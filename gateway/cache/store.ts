import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { Lru } from './lru';

/**
 * Where cached answers live: Redis when the gateway has one, else this process's memory.
 *
 * Invalidation by tags. A tag (a school's `User:42`, its `User` type, the global epoch) has a
 * value, random and never reused. An entry records the value of each of its tags as they were
 * read *before* its data was fetched, and is served only while every one still holds. An event
 * gives its tags new values; a tag that was evicted or expired comes back with a new value too,
 * so losing a tag can only turn entries into misses, never bring an old entry back.
 */
export interface CacheStore {
  /**
   * The current value of each tag in `tags` (given one when missing), and the body of each entry
   * of `entries` that exists and whose recorded tags all still hold (null otherwise). Undefined
   * when the store cannot answer right now: the caller goes without the cache.
   */
  lookup(tags: readonly string[], entries: readonly string[]): Promise<LookupResult | undefined>;
  /** Keeps `body` under `entry` for `ttlSeconds` (fractions kept, to the millisecond), valid while `versions` (tag → value) hold. Best effort. */
  put(entry: string, versions: Readonly<Record<string, string>>, body: string, ttlSeconds: number): Promise<void>;
  /** Gives every tag a new value; false when the store could not be reached (nothing may be trusted then). */
  invalidate(tags: readonly string[]): Promise<boolean>;
  /**
   * True when entries written before now may have missed invalidations (the store was away and
   * came back): the caller must invalidate the epoch before trusting anything again.
   */
  takeReconnected(): boolean;
}

export interface LookupResult {
  tags: Record<string, string>;
  entries: Array<string | null>;
}

/** Tags outlive any entry (an expired tag only turns entries into misses): a day. */
export const TAG_TTL_SECONDS = 86_400;

/** The embedded mode's store: this process only (the embedded mode runs one gateway). */
export function createMemoryStore(maxEntries: number): CacheStore {
  const entries = new Lru<string, { versions: Readonly<Record<string, string>>; body: string; expiresAt: number }>(maxEntries);
  // Evicting a tag is safe (it comes back with a new value); the bound keeps the map from growing with every id ever seen.
  const tags = new Lru<string, string>(maxEntries * 4);
  const fresh = () => randomUUID();
  return {
    async lookup(tagKeys, entryKeys) {
      const current: Record<string, string> = {};
      for (const tag of tagKeys) {
        let value = tags.get(tag);
        if (value === undefined) tags.set(tag, (value = fresh()));
        current[tag] = value;
      }
      const now = Date.now();
      const bodies = entryKeys.map((key) => {
        const entry = entries.get(key);
        if (!entry) return null;
        if (entry.expiresAt <= now) {
          entries.delete(key);
          return null;
        }
        return Object.entries(entry.versions).every(([tag, value]) => tags.get(tag) === value) ? entry.body : null;
      });
      return { tags: current, entries: bodies };
    },
    async put(key, versions, body, ttlSeconds) {
      entries.set(key, { versions, body, expiresAt: Date.now() + ttlSeconds * 1000 });
    },
    async invalidate(tagKeys) {
      for (const tag of tagKeys) tags.set(tag, fresh());
      return true;
    },
    takeReconnected: () => false,
  };
}

/**
 * One round trip, atomic: the tags' values (each created when missing), then each entry's body
 * when every tag it recorded still has the recorded value. An entry is `<versions JSON>\n<body>`
 * (JSON never holds a raw newline), so only the small versions part is decoded here.
 */
const LOOKUP = `
local n = tonumber(ARGV[1])
local out = {}
for i = 1, n do
  local v = redis.call('GET', KEYS[i])
  if not v then
    v = ARGV[2] .. ':' .. i
    redis.call('SET', KEYS[i], v, 'EX', ARGV[3])
  end
  out[i] = v
end
for i = n + 1, #KEYS do
  local body = false
  local e = redis.call('GET', KEYS[i])
  if e then
    local nl = string.find(e, '\\n', 1, true)
    if nl then
      body = string.sub(e, nl + 1)
      for tag, value in pairs(cjson.decode(string.sub(e, 1, nl - 1))) do
        if redis.call('GET', tag) ~= value then
          body = false
          break
        end
      end
    end
  end
  out[i] = body
end
return out
`;

const LOOKUP_COMMAND = 'manassaCacheLookup';

export interface RedisStoreOptions {
  /** Longest wait for Redis before going without the cache (or, for an invalidation, distrusting it). Default 250 ms. */
  timeoutMs?: number;
}

/**
 * The shared store of every gateway replica. While Redis is not connected nothing waits for it:
 * each call answers at once as "unavailable" (commands would otherwise queue for a reconnect).
 */
export function createRedisStore(redis: Redis, opts: RedisStoreOptions = {}): CacheStore {
  const timeoutMs = opts.timeoutMs ?? 250;
  let wasDown = false;
  let reconnected = false;
  redis.on('close', () => {
    wasDown = true;
  });
  redis.on('ready', () => {
    if (wasDown) reconnected = true;
    wasDown = false;
  });
  // EVALSHA, with ioredis sending the script itself when Redis does not know it yet.
  if (!(LOOKUP_COMMAND in redis)) redis.defineCommand(LOOKUP_COMMAND, { lua: LOOKUP });
  const lookupScript = (...args: Array<string | number>) =>
    (redis as unknown as Record<string, (...a: Array<string | number>) => Promise<Array<string | null>>>)[LOOKUP_COMMAND](...args);
  const ready = () => redis.status === 'ready';
  const run = async <T>(command: () => Promise<T>): Promise<T | undefined> => {
    if (!ready()) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    try {
      return await Promise.race([command().catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async lookup(tagKeys, entryKeys) {
      const reply = await run(() =>
        lookupScript(tagKeys.length + entryKeys.length, ...tagKeys, ...entryKeys, tagKeys.length, randomUUID(), TAG_TTL_SECONDS),
      );
      if (!Array.isArray(reply)) return undefined;
      const tags: Record<string, string> = {};
      tagKeys.forEach((tag, i) => (tags[tag] = String(reply[i])));
      return { tags, entries: entryKeys.map((_, i) => reply[tagKeys.length + i] ?? null) };
    },
    async put(key, versions, body, ttlSeconds) {
      await run(() => redis.set(key, `${JSON.stringify(versions)}\n${body}`, 'PX', Math.max(1, Math.round(ttlSeconds * 1000))));
    },
    async invalidate(tagKeys) {
      if (!tagKeys.length) return true;
      const done = await run(async () => {
        const pipeline = redis.pipeline();
        for (const tag of tagKeys) pipeline.set(tag, randomUUID(), 'EX', TAG_TTL_SECONDS);
        const results = await pipeline.exec();
        return !!results && results.every(([err]) => !err);
      });
      return done === true;
    },
    takeReconnected() {
      const was = reconnected;
      reconnected = false;
      return was;
    },
  };
}
