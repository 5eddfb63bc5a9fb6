import { z } from 'zod';
import { baseEnv, flag, keyFiles, parseEnv, port, pruneEnv, pruneSchedule } from '../platform/env';
import { embeddedRegistryFiles } from './client';

/** "1000,10000" → [1000, 10000] */
const delays = (fallback: number[]) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const list = v.split(',').map((s) => Number(s.trim()));
      if (list.some((n) => !Number.isSafeInteger(n) || n < 0))
        ctx.addIssue({ code: 'custom', message: 'must be comma-separated whole milliseconds' });
      return list;
    });

/** `users=http://10.0.0.7:4001/graphql,…` → { users: 'http://…', … } (the gateway's SUBGRAPH_URLS format). */
const urlMap = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const out: Record<string, string> = {};
    for (const part of (v ?? '').split(',').map((s) => s.trim())) {
      if (!part) continue;
      const [name, url] = part.split('=');
      if (!name || !url || !/^https?:\/\//.test(url)) ctx.addIssue({ code: 'custom', message: `"${part}" is not name=http(s)://url` });
      else out[name] = url;
    }
    return out;
  });

const schema = z.object({
  ...baseEnv,
  /** Default 4100 (the CLI's default registry is http://127.0.0.1:4100). */
  REGISTRY_PORT: port(4100),
  HOST: z.string().default('0.0.0.0'),
  /**
   * The bootstrap token with the `admin` scope (creates the other tokens). Unset = generated
   * once under DATA_DIR/keys/registry-admin-token (embedded mode; the CLI reads it from there).
   */
  REGISTRY_ADMIN_TOKEN: z.string().min(32).optional(),
  /** Base URL partners reach the registry at (links in webhook notices); default http://localhost:<port>. */
  REGISTRY_PUBLIC_URL: z.string().url().optional(),
  /**
   * Days of gateway-reported usage a check looks at; a breaking change to a field no operation
   * used in that window is downgraded to dangerous. 0 = usage is ignored. Default 7.
   */
  REGISTRY_USAGE_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** Broker queue of webhook deliveries; distinct per deployment sharing a RabbitMQ vhost. Default registry.webhooks. */
  REGISTRY_WEBHOOK_QUEUE: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('registry.webhooks'),
  /** Delays before each webhook retry; after the last the delivery is failed and dead-lettered. Default 5000,30000,120000,600000. */
  REGISTRY_WEBHOOK_RETRY_DELAYS_MS: delays([5_000, 30_000, 120_000, 600_000]),
  /** How long a partner's endpoint may take to answer; default 5000 ms. */
  REGISTRY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /**
   * Accept webhook targets that resolve to loopback, private, link-local or other non-public
   * addresses (checked at registration and at every delivery). Default: only outside production.
   */
  REGISTRY_WEBHOOK_PRIVATE_TARGETS: z.string().optional(),
  /** Hours a finished (delivered or failed) webhook delivery is kept; default 720 (30 days). */
  REGISTRY_WEBHOOK_DELIVERY_RETENTION_HOURS: z.coerce.number().min(1).default(720),
  /**
   * Private JWKS (JSON) of the gateway's internal-context key: a publish reads each subgraph's
   * `_service { sdl }` with a signed context, as the gateway calls it. Unset = DATA_DIR/keys
   * (generated once, shared with the embedded gateway).
   */
  INTERNAL_SIGNING_KEYS: z.string().optional(),
  /** Where this registry reaches subgraphs to verify a publish, when not at their routing URLs; the gateway's SUBGRAPH_URLS format. */
  SUBGRAPH_URLS: urlMap,
  /** How long a subgraph may take to answer `_service { sdl }` during a publish; default 5000 ms. */
  REGISTRY_SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  ...pruneEnv,
});

export function registryConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(schema, env);
  return {
    port: e.REGISTRY_PORT,
    host: e.HOST,
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR },
    amqpUrl: e.AMQP_URL,
    adminToken: { value: e.REGISTRY_ADMIN_TOKEN, file: embeddedRegistryFiles(e.DATA_DIR).adminToken },
    publicUrl: e.REGISTRY_PUBLIC_URL,
    usageWindowDays: e.REGISTRY_USAGE_WINDOW_DAYS,
    webhooks: {
      queue: e.REGISTRY_WEBHOOK_QUEUE,
      retryDelaysMs: e.REGISTRY_WEBHOOK_RETRY_DELAYS_MS,
      timeoutMs: e.REGISTRY_WEBHOOK_TIMEOUT_MS,
      // Plain-HTTP partner endpoints are for local development only.
      allowHttp: e.NODE_ENV !== 'production',
      // SSRF: in production a partner's URL may not point the registry inside the network.
      allowPrivateTargets: flag(e.NODE_ENV !== 'production').parse(e.REGISTRY_WEBHOOK_PRIVATE_TARGETS),
    },
    subgraphs: {
      internalKeys: { json: e.INTERNAL_SIGNING_KEYS, file: keyFiles(e.DATA_DIR).internalContext },
      urls: e.SUBGRAPH_URLS,
      timeoutMs: e.REGISTRY_SUBGRAPH_TIMEOUT_MS,
    },
    retention: { ...pruneSchedule(e), deliveryHours: e.REGISTRY_WEBHOOK_DELIVERY_RETENTION_HOURS },
  };
}
export type RegistryConfig = ReturnType<typeof registryConfigFromEnv>;
