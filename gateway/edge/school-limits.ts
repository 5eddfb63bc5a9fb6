import type Redis from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { appError, ErrorCode } from '../../platform/errors';
import { coalescingConsumes, createLimiter, type ConsumingLimiter } from '../../platform/rate-limit';
import type { Tenant } from './tenant';

/** What one school may use of the gateway. */
export interface SchoolLimit {
  /** Requests (HTTP operations and subscribe messages) per minute, across gateways. */
  requestsPerMinute: number;
  /** Subscriptions open at once, across gateways and transports. */
  maxSubscriptions: number;
}

/**
 * A school's limits. Synchronous on purpose: it is asked once per request. Today every school
 * gets the configured defaults (`SCHOOL_REQUESTS_PER_MINUTE`, `SCHOOL_MAX_SUBSCRIPTIONS`); a
 * plan-based lookup would read them from the school's cached directory entry (the tenant
 * resolver already caches each school for 60 s) and fall back to the defaults.
 */
export type SchoolLimits = (school: Tenant) => SchoolLimit;

/** The same configured limits for every school. */
export const configuredSchoolLimits =
  (defaults: SchoolLimit): SchoolLimits =>
  () =>
    defaults;

/** Seconds a school at its subscription limit is told to wait: slots free up as classes end, not on a clock. */
export const SCHOOL_SUBSCRIPTIONS_RETRY_AFTER_SECONDS = 30;

/** RATE_LIMITED for a school over its request rate, with the wait (`retryAfterSeconds`, and Retry-After over HTTP). */
export function schoolRateLimited(retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return appError(ErrorCode.RATE_LIMITED, `This school has made too many requests; try again in ${seconds} s`, {
    retryAfterSeconds: seconds,
    limit: 'school',
  });
}

/** RATE_LIMITED for a school with all its subscription slots taken. */
export function schoolSubscriptionsFull(limit: number) {
  return appError(ErrorCode.RATE_LIMITED, `This school has reached its limit of ${limit} live subscriptions`, {
    retryAfterSeconds: SCHOOL_SUBSCRIPTIONS_RETRY_AFTER_SECONDS,
    limit: 'school-subscriptions',
  });
}

export interface SchoolRequestLimiter {
  /** Consumes one request of the school's rate; rejects with RATE_LIMITED (schoolRateLimited) when none is left. */
  consume(school: Tenant): Promise<void>;
}

/**
 * The request rate per school (rate-limiter-flexible, fixed one-minute windows keyed by school id):
 * on Redis shared by every gateway, with the in-process insurance limiter of platform/rate-limit.ts
 * answering while Redis is away (each gateway then counts on its own). One limiter per distinct
 * limit, all on the same keys, so a school whose limit changes (its plan) keeps its count.
 */
export function createSchoolRequestLimiter(limits: SchoolLimits, redis?: Redis, redisPrefix = ''): SchoolRequestLimiter {
  const byPoints = new Map<number, ConsumingLimiter>();
  const limiterFor = (points: number) => {
    let limiter = byPoints.get(points);
    if (!limiter)
      byPoints.set(points, (limiter = coalescingConsumes(createLimiter({ name: 'gw-school', points, duration: 60 }, redis, redisPrefix))));
    return limiter;
  };
  return {
    async consume(school) {
      try {
        await limiterFor(limits(school).requestsPerMinute).consume(school.id);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw schoolRateLimited(err.msBeforeNext);
        throw err;
      }
    },
  };
}
