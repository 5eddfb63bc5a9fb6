import type http from 'node:http';
import type { Supergraph } from '@apollo/federation-internals';
import type { ParseOptions, ValidationRule } from 'graphql';
import type { InternalContextSigner } from '../../platform/auth/internal-context';
import { createFormatError } from '../../platform/graphql/format-error';
import type { Logger } from '../../platform/logger';
import type { Metrics } from '../../platform/metrics';
import type { Request } from 'express';
import type { EdgeDeps, GatewayContext } from '../edge/context';
import type { ExecutedOperation } from '../usage/usage-reporting';
import { createConnectionAuthenticator } from './connection-auth';
import { SubscriptionEngine } from './engine';
import type { SchoolSubscriptionSlots } from './school-subscriptions';
import type { TrustedCheck } from '../persisted/trusted-documents';
import { createSubscriptionMetrics } from './metrics';
import { httpSubscriptions } from './http/route';
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
  /** Admissions are gathered into one subgraph call until none has joined for this long; 0 = one call each. Default 20 ms. */
  admissionBatchMs?: number;
  /** The longest an admission waits to be gathered while others keep joining. Default 150 ms. */
  admissionMaxWaitMs?: number;
  /** How long event entities are reused by later events of the same principal; 0 = never. Default 0. */
  entityTtlMs?: number;
  /** Concurrent subscriptions per school, whatever the transport (school-subscriptions.ts). Default: no limit. */
  schoolSlots?: SchoolSubscriptionSlots;
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
    admissionMaxWaitMs: opts.admissionMaxWaitMs,
    entityTtlMs: opts.entityTtlMs,
    schoolSlots: opts.schoolSlots,
  });

  let overHttp: ReturnType<typeof httpSubscriptions> | undefined;

  return {
    updateSupergraph: (supergraph: Supergraph) => engine.updateSupergraph(supergraph),
    /**
     * SSE and multipart subscriptions (http/route.ts): a handler to mount on /graphql before
     * Apollo Server, with the HTTP side's edge checks (`context`); closed with the server `listen` returns.
     */
    overHttp(edge: {
      context: (req: Request) => Promise<GatewayContext>;
      revokedSessions: EdgeDeps['revokedSessions'];
      onAdmitted?: (op: ExecutedOperation) => void;
    }) {
      overHttp = httpSubscriptions({
        engine,
        context: edge.context,
        revokedSessions: edge.revokedSessions,
        logger: opts.logger,
        metrics,
        registry: opts.metrics.registry,
        formatError,
        parseOptions: opts.parseOptions,
        maxBufferedBytes: opts.maxBufferedBytes,
        keepAliveMs: opts.keepAliveMs,
        onAdmitted: edge.onAdmitted,
      });
      return overHttp.handler;
    },
    listen: (
      server: http.Server,
      edge: EdgeDeps & { trustProxy?: number; onAdmitted?: (op: ExecutedOperation) => void; trusted?: TrustedCheck },
    ) =>
      withHttpStreams(
        overHttp,
        startSubscriptionServer({
          server,
          engine,
          authenticate: createConnectionAuthenticator(edge),
          perUser: edge.limits.perUser,
          perSchool: edge.limits.perSchool,
          revokedSessions: edge.revokedSessions,
          logger: opts.logger,
          metrics,
          formatError,
          trustProxy: edge.trustProxy,
          keepAliveMs: opts.keepAliveMs,
          socket: { maxBufferedBytes: opts.maxBufferedBytes },
          onAdmitted: edge.onAdmitted,
          trusted: edge.trusted,
        }),
      ),
  };
}

/**
 * The WebSocket server, closing the HTTP streams first: both must end before the engine does,
 * or ending its groups would complete their members as if their subscriptions were over for good.
 */
function withHttpStreams(
  overHttp: { close(graceMs?: number): Promise<void> } | undefined,
  server: ReturnType<typeof startSubscriptionServer>,
): ReturnType<typeof startSubscriptionServer> {
  return {
    async close(graceMs?: number) {
      await overHttp?.close(graceMs);
      await server.close(graceMs);
    },
  };
}
