import type { GraphQLFormattedError } from 'graphql';
import { Gauge, type Registry } from 'prom-client';
import { ErrorCode } from '../../../platform/errors';
import { message } from '../../../platform/i18n/message';
import { translate } from '../../../platform/i18n/translate';
import type { Locale } from '../../../platform/i18n/locale';
import type { RevokedSessions } from '../../edge/revoked-sessions';
import type { SubscriptionMetrics } from '../metrics';
import { SessionWatch } from '../session-watch';
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

/**
 * The open HTTP subscriptions, and the ones the gateway must end on its own, as
 * connection-registry.ts does for WebSockets (the same SessionWatch): a stream is authenticated
 * once, when it is requested, so it must not outlive its access token nor a login session revoked
 * elsewhere; and every stream is ended when the gateway stops (clients resubscribe elsewhere with `after`).
 */
export class HttpStreamRegistry {
  /** Each open stream's language, for the message that ends it. */
  private readonly open = new Map<HttpStream, Locale>();
  private readonly watch: SessionWatch<HttpStream>;

  constructor(
    revokedSessions: Pick<RevokedSessions, 'onRevoked'>,
    private readonly metrics: SubscriptionMetrics,
    private readonly gauge: HttpStreamGauge,
  ) {
    this.watch = new SessionWatch(revokedSessions, {
      expired: (stream) => this.end(stream, 'token_expired', ErrorCode.UNAUTHENTICATED, EXPIRED),
      revoked: (stream) => this.end(stream, 'session_revoked', ErrorCode.UNAUTHENTICATED, REVOKED),
    });
  }

  get size(): number {
    return this.open.size;
  }

  /** An admitted stream: ended when its token expires or its session is revoked; forgotten when it closes. */
  track(stream: HttpStream, locale: Locale): void {
    if (!stream.open || this.open.has(stream)) return;
    this.open.set(stream, locale);
    this.gauge.inc({ transport: stream.codec.transport });
    stream.res.once('close', () => this.forget(stream));
    const user = stream.viewer.user;
    if (user) this.watch.watch(stream, user);
  }

  /** Stops following revocations, ends every stream, and waits (up to `graceMs`) for them to close. */
  async closeAll(graceMs: number): Promise<void> {
    this.watch.stop();
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
    const locale = this.open.get(stream) ?? 'en';
    const error: GraphQLFormattedError = { message: translate(text, locale), extensions: { code, ...extra } };
    stream.fail([error]);
  }

  private forget(stream: HttpStream): void {
    if (!this.open.delete(stream)) return;
    this.gauge.dec({ transport: stream.codec.transport });
    const user = stream.viewer.user;
    if (user) this.watch.unwatch(stream, user);
  }
}
