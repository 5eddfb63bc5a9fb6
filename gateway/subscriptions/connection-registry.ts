import type { RevokedSessions } from '../edge/revoked-sessions';
import type { ClientSocket } from './client-socket';
import { CloseCodes } from './close-codes';
import type { SubscriptionMetrics } from './metrics';
import { SessionWatch } from './session-watch';

/**
 * The open client connections, and the connections the gateway must end on its own
 * (session-watch.ts): its access token expired, or its login session was revoked.
 */
export class ConnectionRegistry {
  private readonly open = new Set<ClientSocket>();
  private readonly watch: SessionWatch<ClientSocket>;

  constructor(
    revokedSessions: Pick<RevokedSessions, 'onRevoked'>,
    private readonly metrics: SubscriptionMetrics,
  ) {
    this.watch = new SessionWatch(revokedSessions, {
      expired: (client) => {
        this.metrics.closes.inc({ reason: 'token_expired' });
        client.close(CloseCodes.unauthorized, 'Access token expired');
      },
      revoked: (client) => {
        this.metrics.closes.inc({ reason: 'session_revoked' });
        client.close(CloseCodes.sessionRevoked, 'Session has ended; sign in again');
      },
    });
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
    if (user) this.watch.watch(client, user);
  }

  /** The connection is over (the protocol closed it, or the socket did; either may come first, or alone). */
  untrack(client: ClientSocket): void {
    const user = client.viewer?.user;
    if (user) this.watch.unwatch(client, user);
  }

  /**
   * Stops following revocations, then closes every client with 1001 so it reconnects to another
   * instance; clients that have not closed after `graceMs` are cut.
   */
  async closeAll(graceMs: number): Promise<void> {
    this.watch.stop();
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
}
