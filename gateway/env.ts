import path from 'node:path';
import { z } from 'zod';
import { baseEnv, flag, keyFiles, optionalUrl, parseEnv, port } from '../platform/env';

// @apollo/gateway sends usage telemetry to Apollo and probes cloud metadata addresses unless
// this is set. Off by default here; set APOLLO_TELEMETRY_DISABLED=0 to opt back in.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

/** `users=http://users:4001/graphql,courses=…` → { users: 'http://…', … } */
const urlMap = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const out: Record<string, string> = {};
    for (const part of (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [name, url] = part.split('=');
      if (!name || !url || !/^https?:\/\//.test(url)) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not name=http(s)://url` });
        continue;
      }
      out[name] = url;
    }
    return out;
  });

const schema = z
  .object({
    ...baseEnv,
    /** Default 4000. */
    PORT: port(4000),
    HOST: z.string().default('0.0.0.0'),
    /** Composed supergraph; reloaded when the file changes. Default schema/supergraph.graphql. */
    SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
    /** Per-subgraph URL overrides of the supergraph's routing URLs. */
    SUBGRAPH_URLS: urlMap,
    /** Private JWKS (JSON) for signing the internal context; unset = generated once under DATA_DIR/keys. */
    INTERNAL_SIGNING_KEYS: z.string().optional(),
    /** Where access-token public keys are; default the users subgraph's /.well-known/jwks.json. */
    ACCESS_TOKEN_JWKS_URL: z.string().url().optional(),
    /** Hosts `<school>.<domain>` name the tenant; default "localhost". Comma-separated. */
    TENANT_DOMAINS: z.string().default('localhost'),
    /** Requests per minute per client IP; default 1200. */
    RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
    /** Requests per minute per signed-in user; default 600. */
    RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** Requests per minute per school (HTTP operations and subscribe messages, across gateways); default 60000. */
    SCHOOL_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(60_000),
    /** Subscriptions open at once per school (every transport, across gateways); default 20000. */
    SCHOOL_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).default(20_000),
    /** Number of proxies in front whose X-Forwarded-For is trusted; default 0. */
    TRUST_PROXY: z.coerce.number().int().min(0).default(0),
    /** Browser origins allowed by CORS, comma-separated; default none (apps are not browsers). */
    CORS_ORIGINS: z.string().default(''),
    /** Largest request body; default 1mb. */
    BODY_LIMIT: z.string().default('1mb'),
    /** Allow introspection even in production (never by default). */
    INTROSPECTION: z.string().optional(),
    // --- Schema registry (registry/README.md) ---
    /** Poll this registry for the supergraph instead of reading SUPERGRAPH_PATH; unset = the file. */
    REGISTRY_URL: optionalUrl('http', 'https'),
    /** Registry token with the read scope (fetches the supergraph, reports usage); required with REGISTRY_URL. */
    REGISTRY_TOKEN: z.string().optional(),
    /** Pause between two registry polls; default 10000 ms. */
    REGISTRY_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
    /** Last supergraph from the registry, booted from when it is unreachable; default DATA_DIR/supergraph-cache.graphql. */
    SUPERGRAPH_CACHE_PATH: z.string().optional(),
    /** Share of operations whose field usage is reported to the registry (0 = none); default 1. */
    USAGE_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
    /** How often usage is sent to the registry; default 10000 ms. */
    USAGE_FLUSH_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
    // --- Subscriptions (gateway/subscriptions) ---
    /** Unsent bytes a subscription client may accumulate before it is dropped as slow; default 4194304 (4 MiB). */
    SUBSCRIPTION_BUFFER_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(4 * 1024 * 1024),
    /** Keep-alive ping interval of subscription connections; a client silent for one interval is dropped. Default 12000 ms. */
    SUBSCRIPTION_KEEPALIVE_MS: z.coerce.number().int().min(100).default(12_000),
    /**
     * Subscription admissions are gathered into one call to the owning subgraph (for the fields
     * with a batch admission) until none has joined for this long; 0 = one admission call per
     * subscriber. Default 20 ms.
     */
    SUBSCRIPTION_ADMISSION_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(20),
    /**
     * The longest an admission waits to be gathered while others keep joining (a class starting);
     * never less than SUBSCRIPTION_ADMISSION_BATCH_MS. Default 150 ms.
     */
    SUBSCRIPTION_ADMISSION_MAX_WAIT_MS: z.coerce.number().int().min(0).max(5000).default(150),
    /**
     * How long an entity resolved for a subscription event (an event's actor, its course) is reused
     * by later events resolved as the same principal; 0 = each event fetches its own. At most
     * 1000 ms: a rename is never unseen for longer than that. Default 1000 ms.
     */
    SUBSCRIPTION_ENTITY_TTL_MS: z.coerce.number().int().min(0).max(1000).default(1000),
    // --- Persisted operations (gateway/persisted) ---
    /** Automatic persisted queries (Apollo's protocol, cached in Redis or in-process); default on. */
    APQ: z.string().optional(),
    /** How long a registered query is kept (from its last registration); default 86400 s. */
    APQ_TTL_SECONDS: z.coerce.number().int().min(1).default(86_400),
    /** First-party clients (`apollographql-client-name`) that may send only their registered operations, comma-separated; default none. */
    TRUSTED_ONLY_CLIENTS: z.string().default(''),
    /** Without REGISTRY_URL: where `<client>.json` persisted-query manifests are; default DATA_DIR/trusted-documents. */
    TRUSTED_DOCUMENTS_DIR: z.string().optional(),
    // --- Caching and deduplication (gateway/cache/README.md) ---
    /** Entity, fetch and response caching of what gateway/cache/policy.ts allows; default off. */
    GATEWAY_CACHE: z.string().optional(),
    /** In-flight deduplication of identical subgraph fetches; default off. */
    GATEWAY_DEDUP: z.string().optional(),
    /** The cache's Redis; default REDIS_URL (neither: this process's memory). */
    CACHE_REDIS_URL: optionalUrl('redis', 'rediss'),
    /** Entries the in-process cache keeps (no Redis); default 10000. */
    CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000),
    /** Prefix of the gateway's broker queue names (the cache's `gateway.cache`); default none. */
    AMQP_QUEUE_PREFIX: z.string().default(''),
    // --- Web app and its sign-in routes (gateway/web) ---
    /** The built web app served at `/` (`npm run build` writes it to dist/web); relative to the working directory. Default dist/web. */
    WEB_DIR: z.string().default('dist/web'),
    /**
     * Lifetime of the browser's refresh-token cookie (POST /auth/*); set it to the users subgraph's
     * REFRESH_TOKEN_TTL_SECONDS (same name, same default) so the cookie lives as long as its token. Default 604800 (7 days).
     */
    REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(3600)
      .default(7 * 24 * 3600),
  })
  .refine((e) => !e.REGISTRY_URL || e.REGISTRY_TOKEN, {
    message: 'REGISTRY_TOKEN is required with REGISTRY_URL',
    path: ['REGISTRY_TOKEN'],
  });

export function gatewayConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(schema, env);
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    production,
    supergraphPath: e.SUPERGRAPH_PATH,
    subgraphUrls: e.SUBGRAPH_URLS,
    internalKeys: { json: e.INTERNAL_SIGNING_KEYS, file: keyFiles(e.DATA_DIR).internalContext },
    accessTokenJwksUrl: e.ACCESS_TOKEN_JWKS_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_KEY_PREFIX,
    amqpUrl: e.AMQP_URL,
    tenantDomains: e.TENANT_DOMAINS.split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
    rateLimits: { ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE, userPerMinute: e.RATE_LIMIT_USER_PER_MINUTE },
    /** Every school's limits until a school's plan supplies its own (edge/school-limits.ts). */
    schoolLimits: { requestsPerMinute: e.SCHOOL_REQUESTS_PER_MINUTE, maxSubscriptions: e.SCHOOL_MAX_SUBSCRIPTIONS },
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    bodyLimit: e.BODY_LIMIT,
    introspection: flag(!production).parse(e.INTROSPECTION),
    registry: e.REGISTRY_URL
      ? {
          url: e.REGISTRY_URL,
          token: e.REGISTRY_TOKEN!,
          pollIntervalMs: e.REGISTRY_POLL_INTERVAL_MS,
          cachePath: e.SUPERGRAPH_CACHE_PATH ?? path.join(e.DATA_DIR, 'supergraph-cache.graphql'),
        }
      : undefined,
    usage: { sampleRate: e.USAGE_SAMPLE_RATE, flushIntervalMs: e.USAGE_FLUSH_INTERVAL_MS },
    apq: { enabled: flag(true).parse(e.APQ), ttlSeconds: e.APQ_TTL_SECONDS },
    trustedDocuments: {
      clients: e.TRUSTED_ONLY_CLIENTS.split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      dir: e.TRUSTED_DOCUMENTS_DIR ?? path.join(e.DATA_DIR, 'trusted-documents'),
      pollIntervalMs: e.REGISTRY_POLL_INTERVAL_MS,
    },
    subscriptionBufferBytes: e.SUBSCRIPTION_BUFFER_BYTES,
    subscriptionKeepAliveMs: e.SUBSCRIPTION_KEEPALIVE_MS,
    subscriptionAdmissionBatchMs: e.SUBSCRIPTION_ADMISSION_BATCH_MS,
    subscriptionAdmissionMaxWaitMs: e.SUBSCRIPTION_ADMISSION_MAX_WAIT_MS,
    subscriptionEntityTtlMs: e.SUBSCRIPTION_ENTITY_TTL_MS,
    cache: {
      enabled: flag(false).parse(e.GATEWAY_CACHE),
      dedup: flag(false).parse(e.GATEWAY_DEDUP),
      redisUrl: e.CACHE_REDIS_URL ?? e.REDIS_URL,
      maxEntries: e.CACHE_MAX_ENTRIES,
      queue: `${e.AMQP_QUEUE_PREFIX}gateway.cache`,
    },
    web: { dir: path.resolve(e.WEB_DIR), refreshCookieMaxAgeSeconds: e.REFRESH_TOKEN_TTL_SECONDS },
  };
}
export type GatewayConfig = ReturnType<typeof gatewayConfigFromEnv>;
