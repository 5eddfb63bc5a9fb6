import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { appError, ErrorCode } from './errors';
import { keyedBatches } from './keyed-batches';

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
 * `limiter.consume` with the consumes of one key that meet in time sent as one `consume(key, sum)`
 * (keyedBatches: those of the same turn of the event loop, or made while the key's previous call
 * is out): one Redis script instead of one each. Each consume gets the answer it would have got
 * alone: rate-limiter-flexible counts refused attempts too, so in the order they were made each
 * adds its points to the count and passes while the count is within the limit; the others are
 * refused with the limiter's answer (its wait).
 */
export function coalescingConsumes(limiter: RateLimiterAbstract): ConsumingLimiter {
  const add = keyedBatches<PendingConsume>(async (key, waiting) => {
    const sum = waiting.reduce((total, w) => total + w.points, 0);
    let answer: unknown;
    let passed = false;
    try {
      answer = await limiter.consume(key, sum);
      passed = true;
    } catch (err) {
      answer = err;
    }
    settle(limiter.points, sum, waiting, answer, passed);
  });
  return {
    consume: (key: string | number, points = 1) =>
      new Promise<RateLimiterRes>((resolve, reject) => add(String(key), { points, resolve, reject })),
  };
}

/** Each consume's share of the answer to their sum, as it would have been answered alone. */
function settle(limit: number, sum: number, waiting: PendingConsume[], answer: unknown, passed: boolean): void {
  if (!(answer instanceof RateLimiterRes)) return waiting.forEach((w) => w.reject(answer));
  const before = answer.consumedPoints - sum;
  // A refusal that is not a count (a key blocked without counting): every consume gets it.
  if (before < 0 && !passed) return waiting.forEach((w) => w.reject(answer));
  let count = Math.max(0, before);
  for (const w of waiting) {
    count += w.points;
    if (count <= limit)
      w.resolve(new RateLimiterRes(limit - count, answer.msBeforeNext, count, answer.isFirstInDuration && count === w.points));
    else w.reject(answer);
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
