import type http from 'node:http';
import type { Logger } from '../../platform/logger';
import type { ConsumingLimiter } from '../../platform/rate-limit';
import type { RevokedSessions } from '../edge/revoked-sessions';
import type { SchoolRequestLimiter } from '../edge/school-limits';
import type { TrustedCheck } from '../persisted/trusted-documents';
import type { ExecutedOperation } from '../usage/usage-reporting';
import type { ClientSocketOptions } from './client-socket';
import type { ConnectionAuthenticator } from './connection-auth';
import { ConnectionRegistry } from './connection-registry';
import type { SubscriptionEngine } from './engine';
import type { FormatError } from './event-resolver';
import { startKeepAliveSweeper } from './keep-alive-sweeper';
import type { SubscriptionMetrics } from './metrics';
import { createProtocol } from './protocol';
import { bindProtocol } from './protocol-binding';

export interface SubscriptionServerOptions {
  /** The gateway's HTTP server: WebSocket upgrades on `path` are served here. */
  server: http.Server;
  /** Default '/graphql', the same path as HTTP operations. */
  path?: string;
  engine: SubscriptionEngine;
  authenticate: ConnectionAuthenticator;
  /** One point per subscribe message, by user. */
  perUser: ConsumingLimiter;
  /** One request of the school's rate per subscribe message. Default: none. */
  perSchool?: SchoolRequestLimiter;
  /** Login sessions revoked while connected have their connections closed at once. */
  revokedSessions: Pick<RevokedSessions, 'onRevoked'>;
  logger: Logger;
  metrics: SubscriptionMetrics;
  formatError: FormatError;
  /** Proxies in front whose X-Forwarded-For is trusted, as the HTTP side. Default 0. */
  trustProxy?: number;
  /** Protocol ping interval; a client that has not answered the previous ping is dropped. Default 12000 ms. */
  keepAliveMs?: number;
  /** Time allowed between the upgrade and `connection_init`. Default 3000 ms. */
  connectionInitTimeoutMs?: number;
  /** Largest message a client may send. Default 64 KiB. */
  maxPayloadBytes?: number;
  /** Subscriptions one connection may hold at once (apps need a handful). Default 100. */
  maxSubscriptionsPerSocket?: number;
  socket?: Omit<ClientSocketOptions, 'onSlow'>;
  /** Told about every subscription the owning subgraph admitted (the registry's field-usage reporting). */
  onAdmitted?: (op: ExecutedOperation) => void;
  /** Trusted documents: a trusted-only client's subscribe message must name a registered operation. Default: none. */
  trusted?: TrustedCheck;
}

/**
 * graphql-ws (`graphql-transport-ws`) for clients, on the gateway's own HTTP server and path:
 * the protocol (protocol.ts: authentication in `connection_init`, limits, subscriptions served
 * by the engine's groups with event frames written straight to the socket), its binding to the
 * HTTP server (protocol-binding.ts), the registry of connections that closes them when their
 * token expires or their session is revoked (connection-registry.ts), and the keep-alive sweep
 * (keep-alive-sweeper.ts).
 */
export function startSubscriptionServer(opts: SubscriptionServerOptions) {
  const registry = new ConnectionRegistry(opts.revokedSessions, opts.metrics);
  const sweeper = startKeepAliveSweeper(registry.clients, opts.keepAliveMs ?? 12_000);
  const binding = bindProtocol({
    server: opts.server,
    path: opts.path ?? '/graphql',
    protocol: createProtocol(opts, registry),
    registry,
    sweeper,
    logger: opts.logger,
    metrics: opts.metrics,
    trustProxy: opts.trustProxy,
    maxPayloadBytes: opts.maxPayloadBytes,
    socket: opts.socket,
  });

  return {
    /** Stops taking connections, closes every client with 1001 (they reconnect elsewhere), then ends the feeds. */
    async close(graceMs = 5000): Promise<void> {
      binding.stopAccepting();
      sweeper.stop();
      await registry.closeAll(graceMs);
      // Clients first: ending the groups would send them `complete`, as if their subscriptions were over for good.
      await opts.engine.close();
      binding.close();
    },
  };
}
