// First: the gateway's telemetry SDK is deferred before @apollo/gateway loads (deferred-telemetry.ts).
import './deferred-telemetry';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { Supergraph } from '@apollo/federation-internals';
import { createInternalContextSigner } from '../platform/auth/internal-context';
import { loadSigningKeys } from '../platform/auth/keys';
import { ErrorCode, httpError } from '../platform/errors';
import { createFormatError } from '../platform/graphql/format-error';
import { createHttpApp, jsonErrorHandler, listen, type RunningServer } from '../platform/http';
import { createLogger } from '../platform/logger';
import { createMetrics } from '../platform/metrics';
import { createTransport, type Transport } from '../platform/transport';
import { coalescingConsumes, createLimiter } from '../platform/rate-limit';
import { closeRedisClient, createRedisClient } from '../platform/redis';
import { Shutdown, type Service } from '../platform/service';
import { createAccessTokenVerifier } from './edge/access-token';
import { createContextFactory, type GatewayContext } from './edge/context';
import { graphqlCors } from './edge/cors';
import { SubgraphSource } from './edge/subgraph-source';
import { gatewayCacheFor } from './cache/wiring';
import { createSubgraphFetcher } from './edge/subgraph-fetcher';
import { revokedSessionsFromUsers, trackRevokedSessions } from './edge/revoked-sessions';
import { localizeErrors } from './edge/localize';
import { createTenantResolver } from './edge/tenant';
import { configuredSchoolLimits, createSchoolRequestLimiter } from './edge/school-limits';
import { SchoolSubscriptions } from './subscriptions/school-subscriptions';
import { operationLimits } from './edge/operation-limits';
import { withValueCompletionErrors } from './errors/value-completion';
import { PROVIDER_WEBHOOKS, providerWebhooks } from './edge/webhooks';
import type { GatewayConfig } from './env';
import { fileSupergraph } from './supergraph/file-source';
import { createGatewaySubscriptions } from './subscriptions/gateway-subscriptions';
import { registrySupergraph } from './supergraph/registry-source';
import { usageReporting } from './usage/usage-reporting';
import { redisApqCache } from './persisted/apq-cache';
import { apqRefusalCodes } from './persisted/apq-errors';
import { fileTrustedLists, registryTrustedLists, registryTrustedOnlyClients, trustedDocuments } from './persisted/trusted-documents';
import { contractValidation, partnerContract, registryPartnerContract } from './partner/contract-validation';
import { keyLimiters, partnerContextFactory } from './partner/partner-context';
import { partnerKeys, registryPartnerKeys } from './partner/partner-keys';
import { refreshCookie } from './web/refresh-cookie';
import { sessionRoutes } from './web/session-routes';
import { webApp } from './web/static';

/**
 * Subscriptions are served over graphql-ws on the same path, and over HTTP to clients that ask
 * for SSE or multipart (gateway/subscriptions/http, in front of Apollo); others get a clear answer.
 */
const rejectHttpSubscriptions: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw httpError(
            ErrorCode.BAD_REQUEST,
            'Subscriptions are served over WebSocket (graphql-transport-ws), or over HTTP with Accept: text/event-stream or multipart/mixed;subscriptionSpec="1.0"',
          );
        }
      },
    };
  },
};

export interface GatewayService extends Service {
  /** The routing URLs in use, by subgraph name (overrides applied). */
  subgraphUrls(): Record<string, string>;
}

/**
 * The single public endpoint: Apollo Server + Apollo Gateway over the supergraph, with the edge
 * duties (tenant, JWT, signed internal context, limits) in front of every subgraph call.
 */
export function createGatewayService(
  config: GatewayConfig,
  /** Shared transport (embedded mode); by default the gateway opens its own from the config. */
  shared?: Transport,
): GatewayService {
  const logger = createLogger('gateway');
  const metrics = createMetrics('gateway');
  const shutdown = new Shutdown(logger);
  let server: RunningServer | undefined;
  let routing: Record<string, string> = {};

  const subgraphUrl = (name: string) => {
    const url = config.subgraphUrls[name] ?? routing[name];
    if (!url) throw new Error(`no URL for subgraph ${name}`);
    return url;
  };
  const baseUrlOf = (name: string) => new URL(subgraphUrl(name)).origin;

  return {
    name: 'gateway',
    subgraphUrls: () => ({ ...routing, ...config.subgraphUrls }),
    async start() {
      const keys = await loadSigningKeys(config.internalKeys.json, config.internalKeys.file);
      const sign = createInternalContextSigner(keys);
      const transport =
        shared ??
        createTransport({ redisUrl: config.redisUrl, amqpUrl: config.amqpUrl, redisPrefix: config.redisPrefix, name: 'gateway', logger });
      if (!shared) shutdown.add('data', 'transport', () => transport.close());
      // Follows the bus from now on; loaded from users once its URL is known (after apollo.start).
      const revokedSessions = trackRevokedSessions({
        bus: transport.bus,
        load: revokedSessionsFromUsers({ usersBaseUrl: () => baseUrlOf('users'), sign }),
        logger,
      });
      shutdown.add('workers', 'revoked sessions', () => revokedSessions.stop());
      // Rate limits (in-process counting while Redis is away, rate-limit.ts) and APQ (misses meanwhile).
      const redis = config.redisUrl ? createRedisClient(config.redisUrl, logger, 'gateway') : undefined;
      if (redis) shutdown.add('data', 'redis', () => closeRedisClient(redis));
      // Entity and response caching, in-flight deduplication (gateway/cache/README.md): both off by default.
      const cache = gatewayCacheFor(config, {
        sharedTransport: !!shared,
        redis,
        broker: transport.broker,
        registry: metrics.registry,
        logger,
        shutdown,
      });

      // One keep-alive client for every subgraph call, across supergraph versions; closed once HTTP has drained.
      const fetcher = createSubgraphFetcher();
      shutdown.add('sockets', 'subgraph connections', () => fetcher.close());
      const gateway = new ApolloGateway({
        supergraphSdl: config.registry ? registrySupergraph(config.registry, logger) : fileSupergraph(config.supergraphPath, logger),
        buildService: ({ name, url }) =>
          cache.wrap(name, new SubgraphSource(name, config.subgraphUrls[name] ?? url!, sign, logger, { fetcher })),
        logger,
      });

      // Operation limits (graphql-armor rules, graphql-js token limit) of HTTP operations and
      // subscriptions alike, each refusal with its own code (edge/operation-limits.ts).
      const { armor, parseOptions } = operationLimits({ production: config.production });
      // Per-school limits (edge/school-limits.ts): the configured defaults until plans supply them.
      const schoolLimits = configuredSchoolLimits(config.schoolLimits);
      // Concurrent subscriptions per school, counted across gateways in Redis (in process without it).
      const schoolSlots = new SchoolSubscriptions({ limits: schoolLimits, redis, redisPrefix: config.redisPrefix, logger });
      shutdown.add('workers', 'school subscription slots', () => schoolSlots.close());
      // --- subscriptions (gateway/subscriptions) ---
      const subscriptions = createGatewaySubscriptions({
        sign,
        subgraphUrls: config.subgraphUrls,
        logger,
        metrics,
        validationRules: armor.validationRules,
        parseOptions,
        maxBufferedBytes: config.subscriptionBufferBytes,
        keepAliveMs: config.subscriptionKeepAliveMs,
        admissionBatchMs: config.subscriptionAdmissionBatchMs,
        admissionMaxWaitMs: config.subscriptionAdmissionMaxWaitMs,
        entityTtlMs: config.subscriptionEntityTtlMs,
        schoolSlots,
      });
      // --- end subscriptions ---
      // Every supergraph version, from the first, is built once here: routing URLs and subscriptions.
      gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
        cache.updateSchema(apiSchema, coreSupergraphSdl);
        const supergraph = Supergraph.build(coreSupergraphSdl);
        routing = Object.fromEntries(supergraph.subgraphsMetadata().map((s) => [s.name, s.url]));
        subscriptions.updateSupergraph(supergraph);
      });
      // Field usage for the registry's checks (only when the gateway is wired to a registry);
      // `usage.record` counts operations served outside Apollo Server (subscriptions).
      const usage =
        config.registry && config.usage.sampleRate > 0 ? usageReporting({ ...config.registry, ...config.usage }, logger) : undefined;
      // Partner API keys and the contract they are held to (gateway/partner), from the registry at
      // each poll; without a registry no key exists, so every key is unknown.
      const partnerPoll = { pollIntervalMs: config.registry?.pollIntervalMs ?? 10_000, logger };
      const apiKeys = partnerKeys({
        ...partnerPoll,
        source: config.registry ? registryPartnerKeys(config.registry) : async () => ({ value: [] }),
      });
      const contract = partnerContract({
        ...partnerPoll,
        source: config.registry ? registryPartnerContract(config.registry) : async () => ({ value: null }),
      });
      const partnerOperations = contractValidation(contract, {
        isPartnerKey: (presented) => !!apiKeys.lookup(presented),
        parseOptions,
        introspection: config.introspection,
        production: config.production,
      });
      const apollo = new ApolloServer<GatewayContext>({
        gateway: withValueCompletionErrors(gateway, logger),
        ...armor,
        plugins: [
          // First: a partner's operation meets the contract before anything else sees it.
          partnerOperations.plugin,
          ...armor.plugins,
          rejectHttpSubscriptions,
          apqRefusalCodes,
          localizeErrors,
          ...(usage ? [usage.plugin] : []),
          ...cache.plugins,
        ],
        validationRules: armor.validationRules,
        parseOptions,
        // Automatic persisted queries: Redis shared by every instance (misses while it is away), else
        // Apollo's bounded in-process cache. Parsed documents go through the same limits as any other.
        persistedQueries: config.apq.enabled
          ? { ttl: config.apq.ttlSeconds, ...(redis ? { cache: redisApqCache(redis, config.redisPrefix) } : {}) }
          : false,
        csrfPrevention: true,
        // Our Shutdown drains HTTP before stopping Apollo; Apollo's own signal handler would race it.
        stopOnTerminationSignals: false,
        introspection: config.introspection,
        hideSchemaDetailsFromClientErrors: config.production,
        includeStacktraceInErrorResponses: false,
        formatError: createFormatError(logger, metrics),
        logger,
      });
      await apollo.start();
      await cache.start();
      shutdown.add('workers', 'cache invalidations', () => cache.stop());
      await revokedSessions.start();
      shutdown.add('http', 'apollo', () => apollo.stop());
      // Trusted documents of the clients marked trusted-only: from the registry, else manifest files.
      const trusted = trustedDocuments({
        ...config.trustedDocuments,
        source: config.registry ? registryTrustedLists(config.registry) : fileTrustedLists(config.trustedDocuments.dir),
        // Clients the registry marks trusted-only, on top of TRUSTED_ONLY_CLIENTS.
        trustedOnlySource: config.registry ? registryTrustedOnlyClients(config.registry) : undefined,
        logger,
      });
      await trusted.start();
      shutdown.add('workers', 'trusted documents', () => trusted.stop());

      const edge = {
        tenants: createTenantResolver({ usersBaseUrl: () => baseUrlOf('users'), sign, logger }),
        verifyAccessToken: createAccessTokenVerifier(() => config.accessTokenJwksUrl ?? `${baseUrlOf('users')}/.well-known/jwks.json`),
        tenantDomains: config.tenantDomains,
        revokedSessions,
        limits: {
          // A page's queries at once, a classroom behind one address: one Redis call per key per turn.
          perIp: coalescingConsumes(
            createLimiter({ name: 'gw-ip', points: config.rateLimits.ipPerMinute, duration: 60 }, redis, config.redisPrefix),
          ),
          perUser: coalescingConsumes(
            createLimiter({ name: 'gw-user', points: config.rateLimits.userPerMinute, duration: 60 }, redis, config.redisPrefix),
          ),
          perSchool: createSchoolRequestLimiter(schoolLimits, redis, config.redisPrefix),
        },
      };
      await Promise.all([apiKeys.start(), contract.start()]);
      shutdown.add('workers', 'partner keys', () => (apiKeys.stop(), contract.stop()));
      const perKey = keyLimiters((rate) =>
        createLimiter({ name: 'gw-partner-key', points: rate, duration: 60 }, redis, config.redisPrefix),
      );
      const userContextFor = createContextFactory(edge);
      const contextFor = partnerContextFactory({ ...edge, keys: apiKeys, perKey }, userContextFor);

      const app = createHttpApp({
        name: 'gateway',
        logger,
        metrics,
        bodyLimit: config.bodyLimit,
        trustProxy: config.trustProxy,
        ready: async () => Object.keys(routing).length > 0 && revokedSessions.loaded,
        rawBodies: PROVIDER_WEBHOOKS,
      });
      // No ETag: GraphQL answers are POSTed and never revalidated, and express would hash every body.
      app.set('etag', false);
      app.use(providerWebhooks({ baseUrlOf, logger }));
      // The web app's sign-in (gateway/web): refresh token in an HttpOnly cookie, mutations run by
      // this Apollo Server with the edge context of /graphql (no partner keys: a browser signs in).
      app.use(
        '/auth',
        ...sessionRoutes({
          apollo,
          context: userContextFor,
          cookie: refreshCookie({ maxAgeSeconds: config.web.refreshCookieMaxAgeSeconds, production: config.production }),
          corsOrigins: config.corsOrigins,
          logger,
        }),
      );
      app.use(
        '/graphql',
        graphqlCors(config.corsOrigins),
        trusted.middleware,
        partnerOperations.middleware,
        // Subscriptions over SSE and multipart HTTP (gateway/subscriptions/http); everything else goes on to Apollo.
        subscriptions.overHttp({ context: contextFor, revokedSessions, onAdmitted: usage?.record }),
        expressMiddleware(apollo, { context: ({ req }) => contextFor(req) }),
      );
      // The web app (web/, built into WEB_DIR) at `/`, after the API so that it never shadows it.
      if (!existsSync(path.join(config.web.dir, 'index.html'))) {
        logger.warn({ dir: config.web.dir }, 'web app not built (npm run build): / answers 404 until it is');
      }
      app.use(webApp({ dir: config.web.dir }));
      app.use(jsonErrorHandler(logger));

      server = await listen(app, config.port, config.host);
      shutdown.add('http', 'http server', () => server!.close());
      // --- subscriptions: graphql-ws on the same server and path; closed before the HTTP server drains ---
      const subscriptionServer = subscriptions.listen(server.server, {
        ...edge,
        trustProxy: config.trustProxy,
        onAdmitted: usage?.record,
        trusted,
      });
      shutdown.add('http', 'subscriptions', () => subscriptionServer.close());
      // --- end subscriptions ---
      return { url: `${server.url}/graphql`, port: server.port };
    },
    stop: () => shutdown.run(),
  };
}
