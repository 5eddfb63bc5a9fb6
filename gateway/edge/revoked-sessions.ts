import { INTERNAL_CONTEXT_HEADER, type InternalContextSigner } from '../../platform/auth/internal-context';
import type { EventBus, Unsubscribe } from '../../platform/bus/event-bus';
import { ErrorCode, httpError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import { Topics, type SessionRevoked } from '../../platform/transport';

/** A revoked login session as the users subgraph records it (GET /internal/sessions/revoked). */
export interface RevokedSessionRecord {
  sessionId: string;
  /** ISO-8601: no access token of the session is valid after this. */
  tokensValidUntil: string;
}

export interface RevokedSessionsOptions {
  bus: EventBus;
  /** The sessions whose access tokens may still be alive, from the users database (the source of truth). */
  load(): Promise<RevokedSessionRecord[]>;
  logger: Logger;
  /** How long a session announced on the bus is remembered: longer than an access token lives. Default 16 min. */
  keepMs?: number;
  /** Pause between two reloads from the database, a bound on anything the bus missed. Default 60000 ms. */
  reloadMs?: number;
  /** How long `start` waits for the first load before serving anyway (and failing closed). Default 5000 ms. */
  startWaitMs?: number;
}

/**
 * Sessions ended by logout or refresh-token reuse. Access tokens are stateless and live 15
 * minutes; this lets the gateway refuse a revoked session's tokens at once, and tell whoever
 * holds a connection of it (subscriptions).
 *
 * Two sources, because Redis is not a record: the bus makes a revocation take effect at once,
 * and the users database (every revoked refresh-token family) is what makes it durable. The
 * database is read at start, whenever the bus history may have a gap (the subscription came back
 * after a lost connection, when Redis may have lost or trimmed the stream), and every minute
 * (anything missed otherwise, such as an announcement that failed, is bounded by that). While
 * both are away the last known state is kept; until the first load succeeds, signed-in requests
 * are refused with SERVICE_UNAVAILABLE rather than trusting tokens blindly.
 */
export function trackRevokedSessions(opts: RevokedSessionsOptions) {
  const keepMs = opts.keepMs ?? 16 * 60_000;
  const { logger } = opts;
  /** Session id → until when its tokens must be refused (ms). */
  const revoked = new Map<string, number>();
  const listeners = new Set<(sessionId: string) => void>();
  let loaded = false;
  let started = false;
  let stopped = false;
  let reloadTimer: NodeJS.Timeout | undefined;
  let reloading: Promise<boolean> | undefined;
  let failures = 0;

  const remember = (sessionId: string, until: number) => {
    if (until <= Date.now()) return;
    const known = revoked.get(sessionId);
    revoked.set(sessionId, Math.max(known ?? 0, until));
    if (known === undefined) for (const listener of listeners) listener(sessionId);
  };

  /** One load at a time; true when it succeeded. */
  const reload = (): Promise<boolean> =>
    (reloading ??= opts
      .load()
      .then((records) => {
        for (const r of records) remember(r.sessionId, Date.parse(r.tokensValidUntil));
        if (!loaded) logger.info({ sessions: records.length }, 'revoked sessions loaded from the users subgraph');
        loaded = true;
        failures = 0;
        return true;
      })
      .catch((err: unknown) => {
        if (failures++ === 0) logger.warn({ err }, 'could not load revoked sessions from the users subgraph; retrying');
        return false;
      })
      .finally(() => (reloading = undefined)));

  /** The next reload: soon after a failure (backoff up to 5 s: signed-in requests may wait on it), else after the period. */
  const schedule = (ok: boolean) => {
    if (stopped) return;
    clearTimeout(reloadTimer);
    const period = opts.reloadMs ?? 60_000;
    const delay = ok ? period : Math.min(period, 5000, 250 * 2 ** Math.min(failures, 5));
    reloadTimer = setTimeout(() => void reload().then(schedule), delay);
    reloadTimer.unref();
  };

  /** Whenever the bus history may have a gap, the database fills it. */
  const gap = () => {
    if (started && !stopped) void reload().then(schedule);
  };

  // Subscribed at once, before the first load, so nothing revoked in between is missed. It is
  // not awaited: with Redis away it completes only once Redis is back (then the gap is filled).
  let unsubscribe: Unsubscribe | undefined;
  const subscription = opts.bus
    .subscribe<SessionRevoked>(Topics.revokedSessions, (event) => remember(event.data.sessionId, Date.now() + keepMs), {
      after: `${Date.now() - keepMs}-0`,
      onResumed: gap,
    })
    .then(
      (done) => {
        unsubscribe = done;
        gap();
      },
      (err: unknown) => {
        if (!stopped) logger.error({ err }, 'could not follow revoked sessions on the event bus; relying on the users database');
      },
    );

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [sid, until] of revoked) if (until < now) revoked.delete(sid);
  }, 60_000);
  sweep.unref();

  return {
    /**
     * Loads the list from the users subgraph (call once its URL is known) and keeps it fresh.
     * Waits for the first load at most `startWaitMs`; it keeps retrying in the background.
     */
    async start(): Promise<void> {
      started = true;
      let timer: NodeJS.Timeout | undefined;
      const first = reload().then((ok) => {
        schedule(ok);
        return ok;
      });
      const waited = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), opts.startWaitMs ?? 5000)));
      const ok = await Promise.race([first, waited]).finally(() => clearTimeout(timer));
      if (!ok) logger.warn('serving before revoked sessions are loaded: signed-in requests are refused until they are');
    },
    /** True once the list came from the users database at least once. */
    get loaded() {
      return loaded;
    },
    /**
     * Whether the session's tokens must be refused. Until the list was first loaded nobody can
     * tell, so a signed-in request gets SERVICE_UNAVAILABLE (the client retries) instead.
     */
    has(sessionId: string | undefined): boolean {
      if (!sessionId) return false;
      if (revoked.has(sessionId)) return true;
      if (!loaded) {
        throw httpError(ErrorCode.SERVICE_UNAVAILABLE, 'Sign-in state is not available yet; try again shortly', {
          serviceName: 'users',
          retryAfterSeconds: 5,
        });
      }
      return false;
    },
    /** Calls `listener` with every session learned as revoked from now on; the returned function stops it. */
    onRevoked(listener: (sessionId: string) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearInterval(sweep);
      clearTimeout(reloadTimer);
      // While Redis is away the subscription may never settle; it is released once it does.
      if (unsubscribe) await unsubscribe();
      else void subscription.then(() => unsubscribe?.());
    },
  };
}
export type RevokedSessions = ReturnType<typeof trackRevokedSessions>;

/** Reads the revoked sessions from the users subgraph, with a gateway-signed context for it. */
export function revokedSessionsFromUsers(opts: { usersBaseUrl: () => string; sign: InternalContextSigner }) {
  return async (): Promise<RevokedSessionRecord[]> => {
    const res = await fetch(`${opts.usersBaseUrl()}/internal/sessions/revoked`, {
      headers: { [INTERNAL_CONTEXT_HEADER]: await opts.sign({}, 'users') },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`revoked sessions answered ${res.status}`);
    return ((await res.json()) as { sessions: RevokedSessionRecord[] }).sessions;
  };
}
