import type { RevokedSessions } from '../edge/revoked-sessions';

/** What a connection was authenticated as: when its access token expires, and its login session. */
export interface WatchedUser {
  /** Seconds since the epoch (the token's `exp`). */
  expiresAt: number;
  sessionId?: string;
}

/**
 * The subscriptions' connections (WebSockets, HTTP streams) the gateway must end on its own: one
 * is authenticated once, when it opens, so it must not outlive the access token it was opened
 * with, nor a login session revoked elsewhere (logout, refresh-token reuse).
 *
 * Connections are held by the second their token expires, swept by one timer (a timer per
 * connection would be kept, with its closure, for as long as the connection lives), and by login
 * session, mostly one connection per session, held as it is rather than in a Set of its own.
 */
export class SessionWatch<T> {
  private readonly expiries = new Map<number, Set<T>>();
  private readonly bySession = new Map<string, T | Set<T>>();
  private timer?: NodeJS.Timeout;
  private readonly stopRevocations: () => void;

  constructor(
    revokedSessions: Pick<RevokedSessions, 'onRevoked'>,
    private readonly on: { expired(item: T): void; revoked(item: T): void },
  ) {
    this.stopRevocations = revokedSessions.onRevoked((sessionId) => this.revoke(sessionId));
  }

  /** Ends `item` when `user`'s token expires (at once if it has) or its session is revoked. */
  watch(item: T, user: WatchedUser): void {
    if (user.expiresAt * 1000 <= Date.now()) return this.on.expired(item);
    let expiring = this.expiries.get(user.expiresAt);
    if (!expiring) this.expiries.set(user.expiresAt, (expiring = new Set()));
    expiring.add(item);
    this.timer ??= setInterval(() => this.sweep(), 1000).unref();
    if (!user.sessionId) return;
    const held = this.bySession.get(user.sessionId);
    if (!held) this.bySession.set(user.sessionId, item);
    else if (held instanceof Set) held.add(item);
    else if (held !== item) this.bySession.set(user.sessionId, new Set([held, item]));
  }

  /** The connection is over: forget it (it may never have been watched, or be forgotten twice). */
  unwatch(item: T, user: WatchedUser): void {
    const expiring = this.expiries.get(user.expiresAt);
    if (expiring?.delete(item) && expiring.size === 0) this.expiries.delete(user.expiresAt);
    const held = user.sessionId ? this.bySession.get(user.sessionId) : undefined;
    if (held === item || (held instanceof Set && held.delete(item) && held.size === 0)) this.bySession.delete(user.sessionId!);
  }

  /** Stops following revocations and expiries (the gateway is shutting down). */
  stop(): void {
    this.stopRevocations();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private revoke(sessionId: string): void {
    const held = this.bySession.get(sessionId);
    for (const item of held instanceof Set ? [...held] : held ? [held] : []) this.on.revoked(item);
  }

  /** Ends the connections whose token has expired (within a second of it). */
  private sweep(): void {
    const now = Date.now();
    for (const [expiresAt, items] of this.expiries) {
      if (expiresAt * 1000 > now) continue;
      this.expiries.delete(expiresAt);
      items.forEach((item) => this.on.expired(item));
    }
    if (this.expiries.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
