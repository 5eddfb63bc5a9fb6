import type http from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ParseOptions, ValidationRule } from 'graphql';
import type { Registry } from 'prom-client';
import type { InternalContextSigner } from '../../platform/auth/internal-context';
import type { EventBus } from '../../platform/bus/event-bus';
import { createFormatError } from '../../platform/graphql/format-error';
import type { Logger } from '../../platform/logger';
import type { EdgeDeps } from '../edge/context';
import { createConnectionAuthenticator } from './connection-auth';
import { SubscriptionEngine } from './engine';
import { createSubscriptionMetrics } from './metrics';
import { startSubscriptionServer, type AdmittedOperation } from './subscription-server';

export interface GatewaySubscriptionsOptions {
  /** Its supergraph versions are followed (`onSchemaLoadOrUpdate`); register before it loads. */
  gateway: ApolloGateway;
  sign: InternalContextSigner;
  subgraphUrls: Record<string, string>;
  logger: Logger;
  registry: Registry;
  /** The HTTP side's operation limits (depth, aliases, cost), applied to subscriptions too. */
  validationRules?: readonly ValidationRule[];
  parseOptions?: ParseOptions;
  /** Unsent bytes per client before it is dropped as a slow consumer. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** Ping interval; a client that has not answered the previous ping is dropped. Default 12000 ms. */
  keepAliveMs?: number;
}

/**
 * Federated subscriptions for the gateway: the engine follows the gateway's supergraph from the
 * start; `listen` then serves graphql-ws on the gateway's HTTP server with the same edge checks
 * as HTTP requests.
 */
export function createGatewaySubscriptions(opts: GatewaySubscriptionsOptions) {
  const metrics = createSubscriptionMetrics(opts.registry);
  const formatError = createFormatError(opts.logger);
  const engine = new SubscriptionEngine({
    sign: opts.sign,
    subgraphUrls: opts.subgraphUrls,
    logger: opts.logger,
    metrics,
    formatError,
    validationRules: opts.validationRules,
    parseOptions: opts.parseOptions,
  });
  opts.gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => engine.updateSupergraph(coreSupergraphSdl));

  return {
    listen: (server: http.Server, edge: EdgeDeps & { bus: EventBus; trustProxy?: number; onAdmitted?: (op: AdmittedOperation) => void }) =>
      startSubscriptionServer({
        server,
        engine,
        authenticate: createConnectionAuthenticator({ ...edge, perIp: edge.limits.perIp }),
        perUser: edge.limits.perUser,
        bus: edge.bus,
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
