import type { RevokedSessions } from '../edge/revoked-sessions';
import type { ClientSocket } from './client-socket';
import { CloseCodes } from './close-codes';
import type { SubscriptionMetrics } from './metrics';

/**
 * The open client connections, and the connections the gateway must end on its own: a
 * connection is authenticated once, at `connection_init`, so it must not outlive the access
 * token it was opened with, nor a login session revoked elsewhere (logout, refresh-token reuse).
 */
export class ConnectionRegistry {
  private readonly open = new Set<ClientSocket>();
  /**
   * Tracked connections by the second their access token expires, swept by one timer: a timer per
   * connection would be kept (with its closure) for as long as the connection lives.
   */
  private readonly expiries = new Map<number, Set<ClientSocket>>();
  private expiryTimer?: NodeJS.Timeout;
  /** Connections by login session: mostly one per session, held as it is rather than in a Set of its own. */
  private readonly bySession = new Map<string, ClientSocket | Set<ClientSocket>>();
  private readonly stopRevocations: () => void;

  constructor(
    revokedSessions: Pick<RevokedSessions, 'onRevoked'>,
    private readonly metrics: SubscriptionMetrics,
  ) {
    this.stopRevocations = revokedSessions.onRevoked((sessionId) => this.revoke(sessionId));
  }

  /** Every open connection, authenticated or not; live (the keep-alive sweep iterates it as it changes). */
  get clients(): ReadonlySet<ClientSocket> {
    return this.open;
  }

  /** A socket was upgraded. */
  add(client: ClientSocket): void {
    this.open.add(client);
    this.metrics.sockets.inc();
  }

  /** The socket closed. */
  delete(client: ClientSocket): void {
    this.open.delete(client);
    this.metrics.sockets.dec();
    this.untrack(client);
  }

  /** `connection_init` was accepted (`client.viewer` is set): close the connection when its token expires or its session is revoked. */
  track(client: ClientSocket): void {
    const { user } = client.viewer!;
    if (!user) return;
    if (user.expiresAt * 1000 <= Date.now()) return this.expire(client);
    let expiring = this.expiries.get(user.expiresAt);
    if (!expiring) this.expiries.set(user.expiresAt, (expiring = new Set()));
    expiring.add(client);
    this.expiryTimer ??= setInterval(() => this.sweepExpiries(), 1000).unref();
    if (user.sessionId) {
      const held = this.bySession.get(user.sessionId);
      if (!held) this.bySession.set(user.sessionId, client);
      else if (held instanceof Set) held.add(client);
      else if (held !== client) this.bySession.set(user.sessionId, new Set([held, client]));
    }
  }

  /** The connection is over (graphql-ws closed it, or the socket did; either may come first, or alone). */
  untrack(client: ClientSocket): void {
    const user = client.viewer?.user;
    if (!user) return;
    const expiring = this.expiries.get(user.expiresAt);
    if (expiring?.delete(client) && expiring.size === 0) this.expiries.delete(user.expiresAt);
    const held = user.sessionId ? this.bySession.get(user.sessionId) : undefined;
    if (held === client || (held instanceof Set && held.delete(client) && held.size === 0)) this.bySession.delete(user.sessionId!);
  }

  /**
   * Stops following revocations, then closes every client with 1001 so it reconnects to another
   * instance; clients that have not closed after `graceMs` are cut.
   */
  async closeAll(graceMs: number): Promise<void> {
    this.stopRevocations();
    clearInterval(this.expiryTimer);
    const gone = [...this.open].map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.ws.readyState === client.ws.CLOSED) return resolve();
          client.ws.once('close', () => resolve());
          client.close(CloseCodes.goingAway);
        }),
    );
    const timer = setTimeout(() => this.open.forEach((c) => c.ws.terminate()), graceMs);
    await Promise.all(gone);
    clearTimeout(timer);
  }

  private revoke(sessionId: string): void {
    const held = this.bySession.get(sessionId);
    for (const client of held instanceof Set ? held : held ? [held] : []) {
      this.metrics.closes.inc({ reason: 'session_revoked' });
      client.close(CloseCodes.sessionRevoked, 'Session has ended; sign in again');
    }
  }

  /** Closes the connections whose access token has expired (within a second of it). */
  private sweepExpiries(): void {
    const now = Date.now();
    for (const [expiresAt, clients] of this.expiries) {
      if (expiresAt * 1000 > now) continue;
      this.expiries.delete(expiresAt);
      clients.forEach((client) => this.expire(client));
    }
    if (this.expiries.size === 0) {
      clearInterval(this.expiryTimer);
      this.expiryTimer = undefined;
    }
  }

  private expire(client: ClientSocket): void {
    this.metrics.closes.inc({ reason: 'token_expired' });
    client.close(CloseCodes.unauthorized, 'Access token expired');
  }
}
