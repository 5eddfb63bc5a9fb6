import type { MikroORM } from '@mikro-orm/core';
import { createInternalContextSigner } from '../platform/auth/internal-context';
import { loadSigningKeys } from '../platform/auth/keys';
import { openDatabase } from '../platform/db/orm';
import { createHttpApp, listen, type RunningServer } from '../platform/http';
import { createLogger } from '../platform/logger';
import { createMetrics } from '../platform/metrics';
import { startPruner, type Pruner } from '../platform/outbox/pruner';
import { createTransport, type Transport } from '../platform/transport';
import { Shutdown, type Service } from '../platform/service';
import { ApprovalService } from './approval/approval.service';
import { CheckService } from './check/check.service';
import { registryDatabase } from './database';
import type { RegistryConfig } from './env';
import { registryErrorHandler } from './http/http-error';
import { PartnerKeyService } from './partner-key/partner-key.service';
import { partnerKeyRoutes } from './partner-key/partner-key.routes';
import { PersistedOperationService } from './persisted/persisted.service';
import { persistedRoutes } from './persisted/persisted.routes';
import { PublishService } from './publish/publish.service';
import { publishRoutes } from './publish/publish.routes';
import { ServedSdl } from './publish/served-sdl';
import { subgraphRoutes } from './subgraph/subgraph.routes';
import { createAuth } from './token/auth';
import { loadAdminToken, TokenService } from './token/token.service';
import { tokenRoutes } from './token/token.routes';
import { UsageService } from './usage/usage.service';
import { usageRoutes } from './usage/usage.routes';
import { versionRoutes } from './version/version.routes';
import { DeliveryStatus, WebhookDelivery } from './webhook/webhook-delivery.entity';
import { WebhookDispatcher } from './webhook/webhook-dispatcher';
import { WebhookService } from './webhook/webhook.service';
import { webhookRoutes } from './webhook/webhook.routes';
import { TargetPolicy, type Resolve } from './webhook/target-policy';

export interface RegistryService extends Service {
  /** Available after start(); tests inspect stored rows with it. */
  orm(): MikroORM;
  /** Available after start(); tests run the retention job instead of waiting for its schedule. */
  pruner(): Pruner;
}

/**
 * The schema registry: subgraph teams check and publish SDL, it composes and keeps every version
 * (supergraph, API schema, partner contract, changelog), gateways poll the supergraph and report
 * field usage, partners read their contract and get signed webhook notices. REST API: README.md.
 */
export function createRegistryService(
  config: RegistryConfig & { database: { dbName?: string; sqlitePath?: string } },
  /** Shared transport (embedded mode); by default the registry opens its own broker from the config. */
  shared?: Transport,
  /** How webhook host names resolve; default dns.lookup (tests give names fixed addresses). */
  resolve?: Resolve,
): RegistryService {
  const logger = createLogger('registry');
  const metrics = createMetrics('registry');
  const shutdown = new Shutdown(logger);
  let orm: MikroORM | undefined;
  let server: RunningServer | undefined;
  let pruner: Pruner | undefined;

  return {
    name: 'registry',
    orm: () => orm!,
    pruner: () => pruner!,
    async start() {
      orm = await openDatabase({ ...registryDatabase, ...config.database, logger });
      shutdown.add('data', 'database', () => orm!.close());
      const transport = shared ?? createTransport({ amqpUrl: config.amqpUrl, name: 'registry', logger });
      if (!shared) shutdown.add('data', 'transport', () => transport.close());

      const tokens = new TokenService();
      await tokens.installAdminToken(orm.em.fork(), await loadAdminToken(config.adminToken));
      const usage = new UsageService(config.usageWindowDays);
      const checks = new CheckService(usage);
      const approvals = new ApprovalService();
      const targets = new TargetPolicy(config.webhooks.allowPrivateTargets, resolve);
      const webhooks = new WebhookService(config.webhooks.allowHttp, targets);
      const dispatcher = new WebhookDispatcher(
        orm,
        transport.broker,
        { ...config.webhooks, targets, publicUrl: () => config.publicUrl ?? server!.url.replace('127.0.0.1', 'localhost') },
        logger,
      );
      await dispatcher.start();
      shutdown.add('workers', 'webhook dispatcher', () => dispatcher.stop());
      // Publishes ask subgraphs for their own SDL as the gateway would call them: with its key.
      const keys = await loadSigningKeys(config.subgraphs.internalKeys.json, config.subgraphs.internalKeys.file);
      const served = new ServedSdl({
        sign: createInternalContextSigner(keys),
        urls: config.subgraphs.urls,
        timeoutMs: config.subgraphs.timeoutMs,
      });
      const publisher = new PublishService(orm, checks, approvals, webhooks, dispatcher, served, logger);
      // Finished deliveries only (one target per status, each an index range); pending ones are still owed.
      pruner = startPruner({
        orm,
        logger,
        registry: metrics.registry,
        intervalMs: config.retention.intervalMs,
        batchSize: config.retention.batchSize,
        targets: [DeliveryStatus.delivered, DeliveryStatus.failed].map((status) => ({
          table: 'webhook_delivery',
          entity: WebhookDelivery,
          where: { status },
          column: 'createdAt',
          retentionHours: config.retention.deliveryHours,
        })),
      });
      shutdown.add('workers', 'pruner', () => pruner!.stop());

      const app = createHttpApp({
        name: 'registry',
        logger,
        metrics,
        // Supergraph SDLs of a large graph exceed the default 1 MB.
        bodyLimit: '5mb',
        ready: async () => (await orm!.isConnected()) && (await transport.broker.ping()),
      });
      const requireScope = createAuth(orm, tokens);
      app.use(tokenRoutes(orm, tokens, requireScope));
      app.use(publishRoutes(orm, checks, publisher, approvals, requireScope));
      app.use(versionRoutes(orm, requireScope));
      app.use(subgraphRoutes(orm, requireScope));
      app.use(usageRoutes(orm, usage, requireScope));
      app.use(webhookRoutes(orm, webhooks, requireScope));
      app.use(persistedRoutes(orm, new PersistedOperationService(), requireScope));
      app.use(partnerKeyRoutes(orm, new PartnerKeyService(), requireScope));
      app.use(registryErrorHandler(logger));

      server = await listen(app, config.port, config.host);
      shutdown.add('http', 'http server', () => server!.close());
      return { url: server.url, port: server.port };
    },
    stop: () => shutdown.run(),
  };
}
