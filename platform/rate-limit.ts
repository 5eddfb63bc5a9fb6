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

export function rateLimited(retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return appError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** Consumes one point; throws RATE_LIMITED (with the wait) when none is left. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, points = 1): Promise<void> {
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
