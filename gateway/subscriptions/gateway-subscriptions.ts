import type http from 'node:http';
import type { Supergraph } from '@apollo/federation-internals';
import type { ParseOptions, ValidationRule } from 'graphql';
import type { InternalContextSigner } from '../../platform/auth/internal-context';
import { createFormatError } from '../../platform/graphql/format-error';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import type { EdgeDeps } from '../edge/context';
import type { ExecutedOperation } from '../usage/usage-reporting';
import { createConnectionAuthenticator } from './connection-auth';
import { SubscriptionEngine } from './engine';
import { createSubscriptionMetrics } from './metrics';
import { startSubscriptionServer } from './subscription-server';

export interface GatewaySubscriptionsOptions {
  sign: InternalContextSigner;
  subgraphUrls: Record<string, string>;
  logger: Logger;
  /** The gateway's metrics: subscription metrics join its registry, errors its error count. */
  metrics: Metrics;
  /** The HTTP side's operation limits (depth, aliases, cost), applied to subscriptions too. */
  validationRules?: readonly ValidationRule[];
  parseOptions?: ParseOptions;
  /** Unsent bytes per client before it is dropped as a slow consumer. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** Ping interval; a client that has not answered the previous ping is dropped. Default 12000 ms. */
  keepAliveMs?: number;
  /** Window in which admissions are gathered into one subgraph call; 0 = one call each. Default 5 ms. */
  admissionBatchMs?: number;
}

/**
 * Federated subscriptions for the gateway: the engine is handed every supergraph version the
 * gateway loads (`updateSupergraph`, from the first); `listen` then serves graphql-ws on the
 * gateway's HTTP server with the same edge checks as HTTP requests.
 */
export function createGatewaySubscriptions(opts: GatewaySubscriptionsOptions) {
  const metrics = createSubscriptionMetrics(opts.metrics.registry);
  // Counted with the HTTP side's errors, by the code the client sees.
  const formatError = createFormatError(opts.logger, opts.metrics);
  const engine = new SubscriptionEngine({
    sign: opts.sign,
    subgraphUrls: opts.subgraphUrls,
    logger: opts.logger,
    metrics,
    formatError,
    validationRules: opts.validationRules,
    parseOptions: opts.parseOptions,
    admissionBatchMs: opts.admissionBatchMs,
  });

  return {
    updateSupergraph: (supergraph: Supergraph) => engine.updateSupergraph(supergraph),
    listen: (server: http.Server, edge: EdgeDeps & { trustProxy?: number; onAdmitted?: (op: ExecutedOperation) => void }) =>
      startSubscriptionServer({
        server,
        engine,
        authenticate: createConnectionAuthenticator(edge),
        perUser: edge.limits.perUser,
        revokedSessions: edge.revokedSessions,
        logger: opts.logger,
        metrics,
        formatError,
        trustProxy: edge.trustProxy,
        keepAliveMs: opts.keepAliveMs,
        socket: { maxBufferedBytes: opts.maxBufferedBytes },
        onAdmitted: edge.onAdmitted,
      }),
  };
}
