import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { appError, ErrorCode } from './errors';

export interface LimitOptions {
  /** Redis key prefix; also names the limit in errors and logs. */
  name: string;
  /** Allowed points per window. */
  points: number;
  /** Window in seconds. */
  duration: number;
  /** Once exhausted, block for this many seconds (default: until the window ends). */
  blockDuration?: number;
}

/**
 * rate-limiter-flexible on Redis (shared by every replica, atomic Lua increment) or in memory
 * (embedded mode, one process).
 *
 * On Redis, an outage must not turn every request into an error: while the client is not
 * connected (checked before each call, so nothing waits for reconnect attempts) or a command
 * fails, the in-process insurance limiter answers with the same points and windows. Each
 * replica then counts on its own, so the fleet allows up to replicas × points until Redis is
 * back; counts restart from Redis's own once it is.
 */
export function createLimiter(opts: LimitOptions, redis?: Redis, redisPrefix = ''): RateLimiterAbstract {
  const common = {
    keyPrefix: `${redisPrefix}rl:${opts.name}`,
    points: opts.points,
    duration: opts.duration,
    blockDuration: opts.blockDuration,
  };
  if (!redis) return new RateLimiterMemory(common);
  return new RateLimiterRedis({
    ...common,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(common),
  });
}

/** What a request check needs of a limiter: `consume`, which resolves, or rejects with a RateLimiterRes when over the limit. */
export type ConsumingLimiter = Pick<RateLimiterAbstract, 'consume'>;

interface PendingConsume {
  points: number;
  resolve(res: RateLimiterRes): void;
  reject(err: unknown): void;
}

/**
 * `limiter.consume` with the consumes of one key that meet in time sent as one: those made in the
 * same turn of the event loop, or while the key's previous call is still out, go together as
 * `consume(key, sum)` (one Redis script instead of one each). A burst from one address or one
 * school (a class of thousands connecting at once) then costs the store a call per turn, not per
 * request. The answer is what the same consumes made one after another would get: rate-limiter-
 * flexible counts refused attempts too, so the first ones that fit within the points left pass,
 * in the order they were made, and the rest are refused with the limiter's answer (its wait).
 * At most one call per key is out at a time, so under load a key's calls grow instead of multiplying.
 */
export function coalescingConsumes(limiter: RateLimiterAbstract): ConsumingLimiter {
  const keys = new Map<string, { waiting: PendingConsume[]; sending: boolean }>();
  const send = (key: string) => {
    const entry = keys.get(key)!;
    const waiting = entry.waiting;
    if (waiting.length === 0) return keys.delete(key);
    entry.waiting = [];
    entry.sending = true;
    const points = waiting.reduce((sum, w) => sum + w.points, 0);
    // Settled in any case (a store client may throw rather than reject): the key must not stay `sending`.
    void Promise.resolve()
      .then(() => limiter.consume(key, points))
      .then(
        (res) => settle(limiter.points, points, waiting, res),
        (err) => settle(limiter.points, points, waiting, err),
      )
      .finally(() => {
        entry.sending = false;
        send(key);
      });
  };
  return {
    consume(key: string | number, points = 1) {
      const id = String(key);
      return new Promise<RateLimiterRes>((resolve, reject) => {
        let entry = keys.get(id);
        if (!entry) keys.set(id, (entry = { waiting: [], sending: false }));
        entry.waiting.push({ points, resolve, reject });
        // The first of a turn schedules the call; while one is out, the next goes when it is back.
        if (!entry.sending && entry.waiting.length === 1)
          setImmediate(() => {
            if (keys.get(id)?.sending === false) send(id);
          });
      });
    },
  };
}

/**
 * The answer to a sum, given to each of its consumes as they would have been answered one by one:
 * each adds its points to the count (refused ones too), and passes while the count is within the limit.
 */
function settle(limit: number, sum: number, waiting: PendingConsume[], answer: unknown): void {
  const before = answer instanceof RateLimiterRes ? answer.consumedPoints - sum : -1;
  // Not a count (a failure, or a key blocked without counting): every consume gets the same answer.
  if (before < 0) return waiting.forEach((w) => w.reject(answer));
  const res = answer as RateLimiterRes;
  let count = before;
  for (const w of waiting) {
    count += w.points;
    if (count <= limit) w.resolve(new RateLimiterRes(limit - count, res.msBeforeNext, count, res.isFirstInDuration && count === w.points));
    else w.reject(res);
  }
}

export function rateLimited(retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return appError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** Consumes one point; throws RATE_LIMITED (with the wait) when none is left. */
export async function consumeOrThrow(limiter: ConsumingLimiter, key: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw rateLimited(err.msBeforeNext);
    throw err;
  }
}

/** Throws RATE_LIMITED if the key has no points left, without consuming one. */
export async function assertNotLimited(limiter: RateLimiterAbstract, key: string): Promise<void> {
  const res = await limiter.get(key);
  if (res && res.remainingPoints <= 0 && res.msBeforeNext > 0) throw rateLimited(res.msBeforeNext);
}
