import ipaddr from 'ipaddr.js';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { assertNotLimited } from '../../../platform/rate-limit';

/** A slowdown: from `afterFailures` failures in the window on, each attempt waits, doubling per further failure. */
export interface Slowdown {
  afterFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * The login throttle's numbers (README, "Security at the edge"). Only one thing is ever
 * refused: a source that keeps failing on one account, for that account. Everything counted
 * wider (the account from everywhere, a source over every account) only slows down, so no one
 * can lock a student out by guessing their password from elsewhere, and a school behind one NAT
 * address is not blocked by its students' typos.
 */
export const LOGIN_THROTTLE = {
  /** Failures counted per window, in seconds (fixed windows from the first failure). */
  windowSeconds: 15 * 60,
  /** Failures of one (school, email, source) before that source is refused for that account. */
  perAccountAndSource: 10,
  /** How long that refusal lasts, in seconds. */
  blockSeconds: 15 * 60,
  /** One account, failures from every source: 0.5 s from the 20th on, doubling, at most 8 s. */
  perAccount: { afterFailures: 20, firstDelayMs: 500, maxDelayMs: 8_000 } satisfies Slowdown,
  /** One source, failures over every account: 0.5 s from the 100th on, doubling, at most 8 s. */
  perSource: { afterFailures: 100, firstDelayMs: 500, maxDelayMs: 8_000 } satisfies Slowdown,
};

export interface LoginLimiters {
  /** Failures per (school, email, source); blocks that source for that account once exhausted. */
  perAccountAndSource: RateLimiterAbstract;
  /** Failures per (school, email) from every source; only counts (never refuses), for the slowdown. */
  perAccount: RateLimiterAbstract;
  /** Failures per source over every account; only counts, for the slowdown. */
  perSource: RateLimiterAbstract;
}

/** The wait before an attempt, given the failures counted so far. */
export function slowdownMs(failures: number, s: Slowdown): number {
  if (failures < s.afterFailures) return 0;
  return Math.min(s.firstDelayMs * 2 ** (failures - s.afterFailures), s.maxDelayMs);
}

/**
 * The source a failure is counted against: the client's IPv4 address (IPv4-mapped IPv6 made
 * plain), or its IPv6 /64, since one subscriber commonly holds a whole /64 and could otherwise
 * try from a fresh address every time.
 */
export function sourceOf(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return ip || 'unknown';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counts failed logins and decides, before a password is checked, whether the attempt is
 * refused (this source exhausted this account's attempts) or first slowed down (the account, or
 * the source, fails a lot overall). The wait comes before the check whatever the password, so it
 * tells nothing about it.
 */
export class LoginThrottle {
  constructor(
    private readonly limiters: LoginLimiters,
    private readonly numbers: Pick<typeof LOGIN_THROTTLE, 'perAccount' | 'perSource'> = LOGIN_THROTTLE,
    /** Waits out a slowdown; tests record it instead. */
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {}

  private keys(account: string, ip: string | undefined) {
    const source = sourceOf(ip);
    return { account, source, pair: `${account}|${source}` };
  }

  /** Throws RATE_LIMITED (with the wait) for an exhausted (account, source); otherwise waits out any slowdown. */
  async before(account: string, ip: string | undefined): Promise<void> {
    const k = this.keys(account, ip);
    await assertNotLimited(this.limiters.perAccountAndSource, k.pair);
    const [byAccount, bySource] = await Promise.all([
      failures(this.limiters.perAccount, k.account),
      failures(this.limiters.perSource, k.source),
    ]);
    const ms = Math.max(slowdownMs(byAccount, this.numbers.perAccount), slowdownMs(bySource, this.numbers.perSource));
    if (ms > 0) await this.wait(ms);
  }

  async failed(account: string, ip: string | undefined): Promise<void> {
    const k = this.keys(account, ip);
    // A failed count (a limiter's store down) must not turn a wrong password into another error.
    await Promise.allSettled([
      this.limiters.perAccountAndSource.consume(k.pair),
      this.limiters.perAccount.consume(k.account),
      this.limiters.perSource.consume(k.source),
    ]);
  }

  /**
   * This source proved it knows the password: its own count restarts. The account's and the
   * source's overall counts do not, or an attacker holding one valid account could clear them.
   */
  async succeeded(account: string, ip: string | undefined): Promise<void> {
    await this.limiters.perAccountAndSource.delete(this.keys(account, ip).pair).catch(() => undefined);
  }
}

async function failures(limiter: RateLimiterAbstract, key: string): Promise<number> {
  // The slowdown fails open: without its counts a login is checked at full speed.
  const res = await limiter.get(key).catch(() => null);
  return res?.consumedPoints ?? 0;
}
