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
  private readonly expiries = new Map<ClientSocket, NodeJS.Timeout>();
  private readonly bySession = new Map<string, Set<ClientSocket>>();
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
    const delay = user.expiresAt * 1000 - Date.now();
    const expire = () => {
      this.metrics.closes.inc({ reason: 'token_expired' });
      client.close(CloseCodes.unauthorized, 'Access token expired');
    };
    if (delay <= 0) return expire();
    this.expiries.set(client, setTimeout(expire, delay).unref());
    if (user.sessionId) {
      let set = this.bySession.get(user.sessionId);
      if (!set) this.bySession.set(user.sessionId, (set = new Set()));
      set.add(client);
    }
  }

  /** The connection is over (graphql-ws closed it, or the socket did; either may come first, or alone). */
  untrack(client: ClientSocket): void {
    clearTimeout(this.expiries.get(client));
    this.expiries.delete(client);
    const sessionId = client.viewer?.user?.sessionId;
    const set = sessionId ? this.bySession.get(sessionId) : undefined;
    if (set?.delete(client) && set.size === 0) this.bySession.delete(sessionId!);
  }

  /**
   * Stops following revocations, then closes every client with 1001 so it reconnects to another
   * instance; clients that have not closed after `graceMs` are cut.
   */
  async closeAll(graceMs: number): Promise<void> {
    this.stopRevocations();
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
    for (const client of this.bySession.get(sessionId) ?? []) {
      this.metrics.closes.inc({ reason: 'session_revoked' });
      client.close(CloseCodes.sessionRevoked, 'Session has ended; sign in again');
    }
  }
}
