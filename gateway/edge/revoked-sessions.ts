import type { EventBus, Unsubscribe } from '../../platform/bus/event-bus';
import { Topics, type SessionRevoked } from '../../platform/transport';

/**
 * Sessions ended by logout or refresh-token reuse, as announced by the users subgraph on the
 * event bus. Access tokens are stateless and live 15 minutes; this lets the gateway refuse a
 * revoked session's tokens at once, and tell whoever holds a connection of it (subscriptions).
 * Entries are kept a little longer than a token lives, and on start the bus replays that much
 * history, so a restarted gateway forgets nothing that matters.
 */
export async function trackRevokedSessions(bus: EventBus, keepMs = 16 * 60_000) {
  const revoked = new Map<string, number>();
  const listeners = new Set<(sessionId: string) => void>();
  const unsubscribe: Unsubscribe = await bus.subscribe<SessionRevoked>(
    Topics.revokedSessions,
    (event) => {
      revoked.set(event.data.sessionId, Date.now() + keepMs);
      for (const listener of listeners) listener(event.data.sessionId);
    },
    { after: `${Date.now() - keepMs}-0` },
  );
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [sid, until] of revoked) if (until < now) revoked.delete(sid);
  }, 60_000);
  sweep.unref();
  return {
    has: (sessionId: string | undefined) => !!sessionId && revoked.has(sessionId),
    /** Calls `listener` with every session revoked from now on; the returned function stops it. */
    onRevoked(listener: (sessionId: string) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      clearInterval(sweep);
      await unsubscribe();
    },
  };
}
export type RevokedSessions = Awaited<ReturnType<typeof trackRevokedSessions>>;
