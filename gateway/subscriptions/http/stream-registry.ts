import type { GraphQLFormattedError } from 'graphql';
import { Gauge, type Registry } from 'prom-client';
import { ErrorCode } from '../../../platform/errors';
import { message } from '../../../platform/i18n/message';
import { translate } from '../../../platform/i18n/translate';
import type { Locale } from '../../../platform/i18n/locale';
import type { RevokedSessions } from '../../edge/revoked-sessions';
import type { SubscriptionMetrics } from '../metrics';
import type { HttpStream } from './http-stream';

const EXPIRED = message('Access token expired');
const REVOKED = message('Session has ended; sign in again');
const SHUTTING_DOWN = message('The gateway is shutting down; subscribe again with `after`');

/** Open SSE and multipart subscriptions on /metrics, by transport. */
export function createHttpStreamGauge(registry: Registry) {
  return new Gauge({
    name: 'subscription_http_streams',
    help: 'Open subscriptions over HTTP (SSE, multipart), by transport',
    labelNames: ['transport'] as const,
    registers: [registry],
  });
}
export type HttpStreamGauge = ReturnType<typeof createHttpStreamGauge>;

interface Entry {
  locale: Locale;
  sessionId?: string;
  expiry?: NodeJS.Timeout;
}

/**
 * The open HTTP subscriptions, and the ones the gateway must end on its own, as
 * connection-registry.ts does for WebSockets: a stream is authenticated once, when it is
 * requested, so it must not outlive its access token nor a login session revoked elsewhere; and
 * every stream is ended when the gateway stops (clients resubscribe elsewhere with `after`).
 */
export class HttpStreamRegistry {
  private readonly open = new Map<HttpStream, Entry>();
  private readonly bySession = new Map<string, Set<HttpStream>>();
  private readonly stopRevocations: () => void;

  constructor(
    revokedSessions: Pick<RevokedSessions, 'onRevoked'>,
    private readonly metrics: SubscriptionMetrics,
    private readonly gauge: HttpStreamGauge,
  ) {
    this.stopRevocations = revokedSessions.onRevoked((sessionId) => this.revoke(sessionId));
  }

  get size(): number {
    return this.open.size;
  }

  /** An admitted stream: ended when its token expires or its session is revoked; forgotten when it closes. */
  track(stream: HttpStream, locale: Locale): void {
    if (!stream.open || this.open.has(stream)) return;
    const entry: Entry = { locale };
    this.open.set(stream, entry);
    this.gauge.inc({ transport: stream.codec.transport });
    stream.res.once('close', () => this.forget(stream));
    const user = stream.viewer.user;
    if (!user) return;
    const delay = user.expiresAt * 1000 - Date.now();
    if (delay <= 0) return this.end(stream, 'token_expired', ErrorCode.UNAUTHENTICATED, EXPIRED);
    entry.expiry = setTimeout(() => this.end(stream, 'token_expired', ErrorCode.UNAUTHENTICATED, EXPIRED), delay).unref();
    if (user.sessionId) {
      entry.sessionId = user.sessionId;
      let set = this.bySession.get(user.sessionId);
      if (!set) this.bySession.set(user.sessionId, (set = new Set()));
      set.add(stream);
    }
  }

  /** Stops following revocations, ends every stream, and waits (up to `graceMs`) for them to close. */
  async closeAll(graceMs: number): Promise<void> {
    this.stopRevocations();
    const streams = [...this.open.keys()];
    const closed = streams.map(
      (stream) => new Promise<void>((resolve) => (stream.res.closed ? resolve() : stream.res.once('close', resolve))),
    );
    for (const stream of streams) this.end(stream, 'shutdown', ErrorCode.SERVICE_UNAVAILABLE, SHUTTING_DOWN, { retryAfterSeconds: 1 });
    const timer = setTimeout(() => streams.forEach((s) => s.cut()), graceMs);
    await Promise.all(closed);
    clearTimeout(timer);
  }

  private end(stream: HttpStream, reason: string, code: ErrorCode, text: string, extra: Record<string, unknown> = {}): void {
    if (!stream.open) return;
    this.metrics.closes.inc({ reason });
    const locale = this.open.get(stream)?.locale ?? 'en';
    const error: GraphQLFormattedError = { message: translate(text, locale), extensions: { code, ...extra } };
    stream.fail([error]);
  }

  private revoke(sessionId: string): void {
    for (const stream of this.bySession.get(sessionId) ?? []) this.end(stream, 'session_revoked', ErrorCode.UNAUTHENTICATED, REVOKED);
  }

  private forget(stream: HttpStream): void {
    const entry = this.open.get(stream);
    if (!entry) return;
    this.open.delete(stream);
    this.gauge.dec({ transport: stream.codec.transport });
    clearTimeout(entry.expiry);
    const set = entry.sessionId ? this.bySession.get(entry.sessionId) : undefined;
    if (set?.delete(stream) && set.size === 0) this.bySession.delete(entry.sessionId!);
  }
}
