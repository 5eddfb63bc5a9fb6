import { createGatewayService, type GatewayService } from '../gateway/app';
import { gatewayConfigFromEnv } from '../gateway/env';
import { subgraphs as catalog } from '../subgraphs/catalog';
import { DEFAULT_RETRY_DELAYS_MS } from '../platform/broker/delivery-policy';
import { createTransport, type Transport } from '../platform/transport';
import type { Service } from '../platform/service';
import { startTestS3, type TestS3 } from './s3-server';
import { deleteRabbitQueues, deleteRedisKeys } from './cleanup';
import { testDatabase, type TestDialect } from './database';
import { gql, type GqlOptions } from './graphql-client';
import { testKeys } from './keys';
import { testServices, uniqueName } from './services';

export interface StackOptions {
  /** Subgraphs to start, by catalog name (subgraphs/catalog.ts). Default: every subgraph of the catalog but those of `OPT_IN`. */
  subgraphs?: string[];
  /** Called with every SQL statement each subgraph's database runs (query counting). Default: none. */
  onQuery?: (service: string, sql: string) => void;
}

export interface Stack {
  gatewayUrl: string;
  /**
   * The started subgraph `name` (current instance after `restart`); throws for a subgraph this
   * stack did not start. Pass its type to reach what it exposes to tests:
   * `stack.service<SubgraphService>('courses').orm()`.
   */
  service<T extends Service = Service>(name: string): T;
  /** Base URL of the started subgraph `name` (no `/graphql`); throws like `service`. */
  url(name: string): string;
  /** Every started subgraph, by name, and its base URL. */
  services: Record<string, Service>;
  urls: Record<string, string>;
  gateway: GatewayService;
  keys: Awaited<ReturnType<typeof testKeys>>;
  transport: Transport;
  gql: <T = any>(query: string, opts?: GqlOptions) => ReturnType<typeof gql<T>>;
  /** Logs in a seeded demo user (password manassa-demo) and returns the tokens. */
  login(email: string, tenant?: string): Promise<{ accessToken: string; refreshToken: string; userId: string }>;
  /**
   * Stops a subgraph and starts a new instance on the same database and port, with `env` on top
   * of its configuration (crash and recovery tests). The stack's properties then name the new one.
   */
  restart(name: string, env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Subgraphs a test starts only when it names them: messaging reacts to every event of the others
 * (read models, welcomes, reminders) and asks for two backfills at start, work that only slows the
 * tests of the other subgraphs down. Its own tests list it.
 */
const OPT_IN = ['messaging', 'analytics'];

/**
 * The subgraphs (default: the catalog's, but OPT_IN's) and the gateway in this process, on free ports, each
 * subgraph with its own database (MariaDB or SQLite), fresh keys and the demo data.
 * With `dialect: 'mysql'` the production adapters run: Redis (bus, limits, presence), RabbitMQ on an
 * exchange and queues of this stack only (deleted in stop()), and an S3 server for course files;
 * with 'sqlite' the embedded ones (in-process bus and broker, files on disk).
 */
export async function startStack(dialect: TestDialect, env: Record<string, string> = {}, options: StackOptions = {}): Promise<Stack> {
  const keys = await testKeys();
  const names = options.subgraphs ?? catalog.map((s) => s.name).filter((name) => !OPT_IN.includes(name));
  const entries = names.map((name) => {
    const entry = catalog.find((s) => s.name === name);
    if (!entry) throw new Error(`no subgraph "${name}" in the catalog`);
    return entry;
  });
  const production = dialect === 'mysql';
  const exchange = uniqueName('test_events');
  const s3: TestS3 | undefined = production && names.includes('courses') ? await startTestS3() : undefined;
  const common: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    ...(production ? { REDIS_URL: testServices.redisUrl, AMQP_URL: testServices.amqpUrl, REDIS_KEY_PREFIX: `${uniqueName('test')}:` } : {}),
    ...env,
  };
  // One exchange per stack: parallel test files never see each other's domain events.
  const transport: Transport = createTransport(
    production
      ? { name: 'test', redisUrl: common.REDIS_URL, amqpUrl: common.AMQP_URL, redisPrefix: common.REDIS_KEY_PREFIX, exchange }
      : { name: 'test' },
  );

  const s3Env: Record<string, string> = s3
    ? {
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      }
    : {};
  const databases = names.map((name) => testDatabase(dialect, name));
  const envs: Record<string, Record<string, string>> = {};
  const services: Record<string, Service> = {};
  const urls: Record<string, string> = {};
  const launch = async (name: string, serviceEnv: Record<string, string>) => {
    const entry = entries.find((e) => e.name === name)!;
    const service = entry.create(serviceEnv, transport, options.onQuery ? { onQuery: (sql) => options.onQuery!(name, sql) } : {});
    urls[name] = (await service.start()).url;
    services[name] = service;
  };
  for (const [i, entry] of entries.entries()) {
    envs[entry.name] = {
      ...common,
      ...(databases[i].env as Record<string, string>),
      [`${entry.name.toUpperCase()}_PORT`]: '0',
      ACCESS_TOKEN_SIGNING_KEYS: keys.access,
      INTERNAL_JWKS: keys.internalPublic,
      SEED_DEMO: '1',
      ARGON2_MEMORY_KIB: '8192',
      AMQP_QUEUE_PREFIX: `${uniqueName('t')}.`,
      // Analytics reads the facts exports of the subgraphs started before it, signed as the gateway signs.
      SUBGRAPH_URLS: Object.entries(urls)
        .map(([name, url]) => `${name}=${url}`)
        .join(','),
      INTERNAL_SIGNING_KEYS: keys.internal,
      ...s3Env,
      ...env,
    };
    // In catalog order, users first: the gateway resolves tenants and verifies tokens through it.
    await launch(entry.name, envs[entry.name]);
  }
  const gateway = createGatewayService(
    gatewayConfigFromEnv({
      ...common,
      PORT: '0',
      INTERNAL_SIGNING_KEYS: keys.internal,
      SUBGRAPH_URLS: Object.entries(urls)
        .map(([name, url]) => `${name}=${url}/graphql`)
        .join(','),
    }),
    transport,
  );
  const { url: gatewayUrl } = await gateway.start();
  const stack: Stack = {
    gatewayUrl,
    service: <T extends Service = Service>(name: string) => started(name, services) as T,
    url: (name: string) => started(name, urls),
    services,
    urls,
    gateway,
    keys,
    transport,
    gql: (query, opts) => gql(gatewayUrl, query, opts),
    async login(email, tenant = 'demo') {
      const r = await gql(
        gatewayUrl,
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id } } }',
        {
          tenant,
          variables: { e: email, p: 'manassa-demo' },
        },
      );
      if (!r.body.data?.login) throw new Error(`login failed: ${JSON.stringify(r.body.errors)}`);
      const l = r.body.data.login;
      return { accessToken: l.accessToken, refreshToken: l.refreshToken, userId: l.user.id };
    },
    async restart(name, extra = {}) {
      await services[name].stop();
      const port = new URL(urls[name]).port;
      envs[name] = { ...envs[name], [`${name.toUpperCase()}_PORT`]: port, ...extra };
      await launch(name, envs[name]);
    },
    async stop() {
      await gateway.stop();
      for (const name of [...names].reverse()) await services[name]?.stop();
      await transport.close();
      if (production) {
        await deleteRabbitQueues(Object.values(services).flatMap(queuesOf), DEFAULT_RETRY_DELAYS_MS, exchange);
        await deleteRedisKeys(common.REDIS_KEY_PREFIX, common.REDIS_URL);
      }
      await s3?.close();
      for (const db of databases) await db.drop();
    },
  };
  return stack;
}

/** What the stack started under `name`, or a clear error naming the subgraphs it did start. */
function started<T>(name: string, byName: Record<string, T>): T {
  if (!(name in byName)) {
    const known = catalog.some((s) => s.name === name) ? 'is in the catalog but was not started by this stack' : 'is not in the catalog';
    throw new Error(
      `subgraph "${name}" ${known} (started: ${Object.keys(byName).join(', ') || 'none'}; see startStack's options.subgraphs)`,
    );
  }
  return byName[name];
}

/** The durable queues a service declared (those that tell: `queues()`). */
function queuesOf(service: Service): string[] {
  return 'queues' in service && typeof service.queues === 'function' ? (service.queues() as string[]) : [];
}
