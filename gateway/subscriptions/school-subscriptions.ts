import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type Redis from 'ioredis';
import { keyedBatches } from '../../platform/keyed-batches';
import type { Logger } from '../../platform/logger';
import { schoolSubscriptionsFull, type SchoolLimits } from '../edge/school-limits';
import type { Tenant } from '../edge/tenant';

/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

/** The concurrent-subscription count per school that every transport's subscribe passes through (engine.ts). */
export interface SchoolSubscriptionSlots {
  /** Takes one of the school's slots, or answers the refusal (RATE_LIMITED, retryAfterSeconds). */
  acquire(school: Tenant): Promise<ReleaseSlot | GraphQLError>;
}

export interface SchoolSubscriptionsOptions {
  limits: SchoolLimits;
  /** Shared count across gateways; without it each gateway counts its own. */
  redis?: Redis;
  redisPrefix?: string;
  logger: Logger;
  /**
   * How long a gateway's slots count after it last told Redis it is alive (renewed every third of
   * it): a gateway that died without releasing its slots stops counting after this. Default 30000 ms.
   */
  leaseMs?: number;
  /** This gateway's name in Redis. Default a random UUID. */
  gatewayId?: string;
}

/**
 * Per school, one hash field per gateway holding that gateway's count of open subscriptions, and
 * a sorted set of the gateways' lease expiries (Redis's clock, so gateways' clocks do not matter).
 * A gateway always writes its whole count, never a difference: a lost write, or counting done in
 * process while Redis was away, is corrected by the next write or heartbeat.
 *
 * acquire: KEYS school hash, gateways set; ARGV gateway, its count with the new slots, limit,
 * lease ms, how many new slots (default 1). Counts only the fields of gateways whose lease runs,
 * deletes the others, takes as many of the new slots as the limit leaves room for, and writes the
 * count with those. Answers how many were taken (for one slot: 1 = taken, 0 = refused).
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZADD', KEYS[2], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[2], lease * 2)
local count = tonumber(ARGV[2])
local asked = tonumber(ARGV[5] or '1')
local total = count
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] ~= ARGV[1] then
    if redis.call('ZSCORE', KEYS[2], fields[i]) then total = total + tonumber(fields[i + 1])
    else redis.call('HDEL', KEYS[1], fields[i]) end
  end
end
local taken = math.max(0, asked - math.max(0, total - tonumber(ARGV[3])))
if taken == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], count - asked + taken)
redis.call('PEXPIRE', KEYS[1], lease * 2)
return taken
`;

/**
 * sync: KEYS gateways set, then school hashes; ARGV gateway, lease ms, then one count per school
 * hash (0 deletes the field). Renews the lease and writes the counts (heartbeat, releases).
 */
const SYNC = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease * 2)
for i = 2, #KEYS do
  local count = tonumber(ARGV[i + 1])
  if count > 0 then
    redis.call('HSET', KEYS[i], ARGV[1], count)
    redis.call('PEXPIRE', KEYS[i], lease * 2)
  else
    redis.call('HDEL', KEYS[i], ARGV[1])
  end
end
return 1
`;

/** leave: KEYS gateways set, then school hashes; ARGV gateway. A gateway shutting down gives everything back. */
const LEAVE = `
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, #KEYS do redis.call('HDEL', KEYS[i], ARGV[1]) end
return 1
`;

/** An acquire waiting for Redis: the school's limit then, and the verdict counted in process (used without Redis's). */
interface PendingSlot {
  limit: number;
  inProcess: boolean;
  resolve(taken: boolean): void;
}

type Scripts = {
  schoolSlotsAcquire(
    school: string,
    gateways: string,
    gateway: string,
    count: number,
    limit: number,
    leaseMs: number,
    asked: number,
  ): Promise<number>;
  schoolSlotsSync(...args: Array<string | number>): Promise<number>;
  schoolSlotsLeave(...args: string[]): Promise<number>;
};

/**
 * Concurrent subscriptions per school, counted across gateway replicas in Redis (above), and in
 * process without Redis. While Redis is away (not connected, or a command fails) each gateway
 * counts only its own subscriptions against the limit, as the request limits do
 * (platform/rate-limit.ts): the fleet then allows up to replicas × the limit, never an outage;
 * its exact count is written back at the first heartbeat once Redis is reachable. A gateway that
 * crashes holds its slots until its lease lapses; one that shuts down gives them back at once.
 */
export class SchoolSubscriptions implements SchoolSubscriptionSlots {
  /** This gateway's open (and being opened) subscriptions per school id: always exact. */
  private readonly counts = new Map<string, number>();
  /** Schools whose field in Redis may differ from `counts`, written at the next flush. */
  private readonly dirty = new Set<string>();
  /** Schools that may have a field of this gateway in Redis. */
  private readonly written = new Set<string>();
  private readonly leaseMs: number;
  private readonly prefix: string;
  private readonly gatewayId: string;
  private readonly timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  /** Acquires waiting for Redis's answer, sent together per school (sendAsked). */
  private readonly ask = keyedBatches<PendingSlot>((schoolId, waiting) => this.sendAsked(schoolId, waiting));
  private flushQueued = false;
  private closed = false;
  private outage = false;

  constructor(private readonly opts: SchoolSubscriptionsOptions) {
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.prefix = `${opts.redisPrefix ?? ''}school-subs:`;
    this.gatewayId = opts.gatewayId ?? randomUUID();
    const redis = opts.redis;
    if (redis) {
      if (!('schoolSlotsAcquire' in redis)) {
        redis.defineCommand('schoolSlotsAcquire', { numberOfKeys: 2, lua: ACQUIRE });
        redis.defineCommand('schoolSlotsSync', { lua: SYNC });
        redis.defineCommand('schoolSlotsLeave', { lua: LEAVE });
      }
      // Every school this gateway counts is rewritten: the lease renewed, and any drift corrected.
      this.timer = setInterval(
        () => {
          for (const school of this.written) this.dirty.add(school);
          for (const school of this.counts.keys()) this.dirty.add(school);
          void this.flush(true);
        },
        Math.max(10, Math.floor(this.leaseMs / 3)),
      );
      this.timer.unref();
    }
  }

  /** This gateway's open subscriptions of a school (tests, metrics). */
  localCount(schoolId: string): number {
    return this.counts.get(schoolId) ?? 0;
  }

  async acquire(school: Tenant): Promise<ReleaseSlot | GraphQLError> {
    const limit = this.opts.limits(school).maxSubscriptions;
    const count = this.adjust(school.id, 1);
    // Once closed (shutting down), nothing more is written for this gateway.
    const redis = this.closed ? undefined : this.ready();
    const taken = redis
      ? await new Promise<boolean>((resolve) => this.ask(school.id, { limit, inProcess: count <= limit, resolve }))
      : count <= limit;
    if (!taken) {
      this.adjust(school.id, -1);
      // Another slot of this gateway may have been written with this one counted in: correct it.
      if (redis) this.markDirty(school.id);
      return schoolSubscriptionsFull(limit);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.adjust(school.id, -1);
      if (this.opts.redis && !this.closed) this.markDirty(school.id);
    };
  }

  /**
   * Redis's verdict on new slots of a school, each already counted in `counts`: the acquires made
   * in the same turn of the event loop, or while the school's previous call is out, go as one
   * call (keyedBatches), and the first ones in order get the slots that fit. Without an answer
   * from Redis, each gets the verdict counted in process.
   */
  private async sendAsked(schoolId: string, waiting: PendingSlot[]): Promise<void> {
    // Every acquire not yet answered is counted in `counts` and is in this batch (one call per
    // school is out at a time), so the count sent holds exactly these new slots on top of the open ones.
    const count = this.counts.get(schoolId) ?? 0;
    const limit = waiting[waiting.length - 1].limit;
    let taken: number | undefined;
    const redis = this.closed ? undefined : this.ready();
    if (redis) {
      try {
        taken = await redis.schoolSlotsAcquire(
          this.hashOf(schoolId),
          this.gatewaysKey,
          this.gatewayId,
          count,
          limit,
          this.leaseMs,
          waiting.length,
        );
        this.written.add(schoolId);
        this.recovered();
      } catch (err) {
        // Counted in process for these (as without Redis); the next heartbeat writes the count.
        this.failed(err);
        this.dirty.add(schoolId);
      }
    }
    waiting.forEach((w, i) => w.resolve(taken === undefined ? w.inProcess : i < taken));
  }

  /** Stops the heartbeat and gives this gateway's slots back in Redis (its subscriptions are over). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flushing;
    const redis = this.ready();
    if (!redis) return;
    try {
      await redis.schoolSlotsLeave(
        String(1 + this.written.size),
        this.gatewaysKey,
        ...[...this.written].map((s) => this.hashOf(s)),
        this.gatewayId,
      );
    } catch (err) {
      // The lease lapses by itself.
      this.opts.logger.warn({ err: (err as Error).message }, 'school subscription slots not given back; they lapse with the lease');
    }
  }

  private get gatewaysKey() {
    return `${this.prefix}gateways`;
  }

  private hashOf(schoolId: string) {
    return `${this.prefix}${schoolId}`;
  }

  private adjust(schoolId: string, by: number): number {
    const next = (this.counts.get(schoolId) ?? 0) + by;
    if (next > 0) this.counts.set(schoolId, next);
    else this.counts.delete(schoolId);
    return Math.max(0, next);
  }

  /** The Redis client when it is connected; otherwise nothing waits on reconnect attempts. */
  private ready(): (Redis & Scripts) | undefined {
    const redis = this.opts.redis;
    return redis && redis.status === 'ready' ? (redis as Redis & Scripts) : undefined;
  }

  /** Releases of one moment (a class ending) are written together, once per school. */
  private markDirty(schoolId: string): void {
    this.dirty.add(schoolId);
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      void this.flush(false);
    });
  }

  /** Writes the counts of the dirty schools (and renews the lease); a heartbeat does so even with none. */
  private async flush(heartbeat: boolean): Promise<void> {
    // One write at a time, in order: the next one starts from the counts of then.
    while (this.flushing) await this.flushing;
    const redis = this.ready();
    if (!redis || this.closed) return;
    const schools = [...this.dirty];
    this.dirty.clear();
    if (schools.length === 0 && !heartbeat) return;
    const counts = schools.map((s) => this.counts.get(s) ?? 0);
    const run = async () => {
      try {
        await redis.schoolSlotsSync(
          String(1 + schools.length),
          this.gatewaysKey,
          ...schools.map((s) => this.hashOf(s)),
          this.gatewayId,
          this.leaseMs,
          ...counts,
        );
        schools.forEach((s, i) => (counts[i] > 0 ? this.written.add(s) : this.written.delete(s)));
        this.recovered();
      } catch (err) {
        this.failed(err);
        for (const s of schools) this.dirty.add(s);
      }
    };
    this.flushing = run().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private failed(err: unknown): void {
    if (!this.outage)
      this.opts.logger.warn({ err: (err as Error).message }, 'school subscription counts: Redis failed; counting in process');
    this.outage = true;
  }

  private recovered(): void {
    if (this.outage) this.opts.logger.info('school subscription counts: Redis reachable again');
    this.outage = false;
  }
}
