import type { MikroORM } from '@mikro-orm/core';
import type { Express } from 'express';
import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import { createInternalContextVerifier, type InternalContextVerifier } from '../auth/internal-context';
import { loadPublicJwks } from '../auth/keys';
import { DEFAULT_RETRY_DELAYS_MS } from '../broker/delivery-policy';
import type { Consumer } from '../broker/message-broker';
import { deadQueue, retryQueue } from '../broker/rabbit-codec';
import { openDatabase, type DatabaseOptions } from '../db/orm';
import type { SubgraphConfig } from '../env';
import { mountSubgraph, subgraphContextFactory } from '../graphql/subgraph-server';
import { serveSubgraphSubscriptions } from '../graphql/subgraph-ws';
import { createHttpApp, createServer, listen, type HttpServiceOptions, type RunningServer } from '../http';
import { createLogger, type Logger } from '../logger';
import { createMetrics } from '../metrics';
import { OutboxMessage, startOutboxRelay, type OutboxRelay } from '../outbox/outbox';
import { outboxPruneTargets, startPruner } from '../outbox/pruner';
import { closeRedisClient, createRedisClient } from '../redis';
import { Shutdown, type Service } from '../service';
import { createTransport, type Transport } from '../transport';
import type { ConsumerDefinition, SubgraphParts } from './feature';

/** A subgraph's database: its entities and committed migrations per dialect. */
export type SubgraphDatabase = Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'>;

/** Database settings the environment cannot carry (tests name the database and count SQL). */
export type DatabaseOverrides = Partial<Pick<DatabaseOptions, 'dbName' | 'sqlitePath' | 'onQuery'>>;

/** The shared runtime a subgraph wires its own parts to (`SubgraphDefinition.wire`). */
export interface SubgraphRuntime<Config extends SubgraphConfig = SubgraphConfig> {
  name: string;
  config: Config;
  orm: MikroORM;
  /** The service's own Redis client; only when REDIS_URL is set. */
  redis?: Redis;
  transport: Transport;
  logger: Logger;
  /** The service's metrics registry (served on /metrics): counters of the subgraph's own. */
  registry: Registry;
  /** The HTTP app; routes added during `wire` come before /graphql. */
  app: Express;
  /** Checks the gateway-signed context (for routes of the subgraph's own). */
  verifyContext: InternalContextVerifier;
  /** The service's base URL; known once it listens (use it at request time, not during wire). */
  url(): string;
  /** Closes a resource of the subgraph's own (file storage…) with the data, after the workers stop. */
  onStop(what: string, close: () => unknown): void;
}

/** What a subgraph's own wiring hands back to the host. */
export interface SubgraphWiring {
  /** Resolver instances with their services injected (classes without one are built bare). */
  resolvers: object[];
  /** Demo data, run when seeding is on, before the relay starts. */
  seed?: () => Promise<void>;
  /**
   * Runs once the relay runs and every consumer is bound, before the service reports ready: work
   * whose answer comes back as events (a read-model backfill request) must not be published
   * before its queues exist, or a broker drops the answer.
   */
  afterStart?: () => Promise<void>;
  /**
   * Queues consumed with what only the wiring has (provider clients): bound like the features'
   * consumers, and listed by `queues()`.
   */
  consumers?: ConsumerDefinition[];
}

export interface SubgraphDefinition<Config extends SubgraphConfig> {
  name: string;
  config: Config & { database: SubgraphConfig['database'] & DatabaseOverrides };
  database: SubgraphDatabase;
  /** Its features, assembled (platform/subgraph/feature.ts): schema, loaders, consumers. */
  parts: Pick<SubgraphParts, 'buildSchema' | 'createLoaders' | 'consumers'>;
  /** Serve subscriptions to the gateway over graphql-ws on /graphql. Default false. */
  subscriptions?: boolean;
  /** Routes whose bodies stay raw (signed webhooks): createHttpApp's `rawBodies`. Default none. */
  rawBodies?: HttpServiceOptions['rawBodies'];
  /** Builds the subgraph's own services, resolvers and routes on the shared runtime. */
  wire(runtime: SubgraphRuntime<Config>): Promise<SubgraphWiring> | SubgraphWiring;
}

/** A running subgraph, as `start()` left it; tests use the accessors to arrange data. */
export interface SubgraphService extends Service {
  /** Available after start(). */
  orm(): MikroORM;
  /** Available after start(); tests drain it instead of waiting for its polling. */
  outbox(): OutboxRelay;
  /**
   * Full names of the broker queues this service declares: each queue it consumes with its retry
   * queues (one per delay of that consumer) and its dead-letter queue (tests delete them afterwards).
   */
  queues(): string[];
}

/**
 * The one lifecycle of every subgraph: database (migrated), Redis, bus and broker, HTTP app,
 * internal-context verifier, the subgraph's own wiring, the subgraph mount and its WebSocket,
 * outbox relay, consumers, listen, readiness. Shutdown runs in the opposite order by phase
 * (platform/service.ts): stop taking requests and sockets, then workers, then data. A start that
 * fails half-way closes what it had opened.
 */
export function createSubgraphService<Config extends SubgraphConfig>(
  def: SubgraphDefinition<Config>,
  /** Shared transport (embedded mode); by default the service opens its own from the config. */
  shared?: Transport,
): SubgraphService {
  const { name, config } = def;
  const logger = createLogger(name);
  const metrics = createMetrics(name);
  const shutdown = new Shutdown(logger);
  const queue = (q: string) => `${config.queuePrefix}${q}`;
  let orm: MikroORM | undefined;
  let relay: OutboxRelay | undefined;
  let running: RunningServer | undefined;
  let ready = false;
  let wiredConsumers: ConsumerDefinition[] = [];

  const start = async () => {
    orm = await openDatabase({ ...def.database, ...config.database, logger });
    shutdown.add('data', 'database', () => orm!.close());
    const redis = config.redisUrl ? createRedisClient(config.redisUrl, logger, name) : undefined;
    if (redis) shutdown.add('data', 'redis', () => closeRedisClient(redis));
    const transport =
      shared ?? createTransport({ redisUrl: config.redisUrl, amqpUrl: config.amqpUrl, redisPrefix: config.redisPrefix, name, logger });
    if (!shared) shutdown.add('data', 'transport', () => transport.close());

    const app = createHttpApp({
      name,
      logger,
      metrics,
      // Not Redis: without it a subgraph still serves everything but live features (those answer
      // SERVICE_UNAVAILABLE), and a probe failing on it would take every replica out at once.
      ready: async () => ready && (await orm!.isConnected()),
      rawBodies: def.rawBodies,
      // Only the gateway calls subgraphs: its fetch spans are their requests' parents.
      continueTraces: true,
    });
    const server = createServer(app);
    const verifyContext = createInternalContextVerifier(loadPublicJwks(config.internalKeys.json, config.internalKeys.file), name);
    const wiring = await def.wire({
      name,
      config,
      orm,
      redis,
      transport,
      logger,
      registry: metrics.registry,
      app,
      verifyContext,
      url: () => {
        if (!running) throw new Error(`${name} is not listening yet`);
        return running.url;
      },
      onStop: (what, close) => shutdown.add('data', what, close),
    });
    wiredConsumers = wiring.consumers ?? [];
    const schema = await def.parts.buildSchema(wiring.resolvers);
    const apollo = await mountSubgraph({
      name,
      app,
      schema,
      orm,
      verifyContext,
      logger,
      production: config.production,
      createLoaders: def.parts.createLoaders,
    });
    shutdown.add('http', 'apollo', () => apollo.stop());
    // Registered after apollo so that it runs first: stop taking requests, drain, then stop apollo.
    shutdown.add('http', 'http server', () => running?.close());
    if (def.subscriptions) {
      const subscriptions = serveSubgraphSubscriptions({
        name,
        server,
        schema,
        verifyContext,
        createContext: subgraphContextFactory({ orm, createLoaders: def.parts.createLoaders }),
        bus: transport.bus,
        logger,
      });
      // Registered last so they close first: upgraded sockets would hold the HTTP server open.
      shutdown.add('http', 'subscriptions', () => subscriptions.close());
    }
    if (config.seedDemo && wiring.seed) await wiring.seed();

    relay = startOutboxRelay({ orm, broker: transport.broker, logger, pollIntervalMs: config.outboxPollIntervalMs });
    shutdown.add('workers', 'outbox relay', () => relay!.stop());
    if (def.database.entities.includes(OutboxMessage)) {
      const pruner = startPruner({
        orm,
        logger,
        registry: metrics.registry,
        targets: outboxPruneTargets(config.retention),
        intervalMs: config.retention.intervalMs,
        batchSize: config.retention.batchSize,
      });
      shutdown.add('workers', 'pruner', () => pruner.stop());
    }
    const consumers: Consumer[] = [];
    shutdown.add('workers', 'consumers', () => Promise.all(consumers.map((c) => c.cancel())));
    for (const c of [...def.parts.consumers, ...wiredConsumers]) {
      consumers.push(await transport.broker.consume(queue(c.queue), c.handler({ orm, logger }), c.options));
    }
    await wiring.afterStart?.();

    running = await listen(server, config.port, config.host);
    ready = true;
    return { url: running.url, port: running.port };
  };

  return {
    name,
    orm: () => orm!,
    outbox: () => relay!,
    queues: () =>
      [...def.parts.consumers, ...wiredConsumers].flatMap((c) => {
        const name = queue(c.queue);
        return [name, ...(c.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS).map((d) => retryQueue(name, d)), deadQueue(name)];
      }),
    async start() {
      try {
        return await start();
      } catch (err) {
        await shutdown.run();
        throw err;
      }
    },
    stop: () => shutdown.run(),
  };
}
