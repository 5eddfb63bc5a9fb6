import path from 'node:path';
import { z } from 'zod';

/**
 * Parses `process.env` (or a given record) against a zod schema once, at start-up.
 * Every problem is reported together (not just the first) so an operator fixes the
 * configuration in one go; the process then exits non-zero instead of running half-configured.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined> = process.env,
  opts: { exit?: boolean } = {},
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`);
  const message = `Invalid configuration:\n${lines.join('\n')}`;
  if (opts.exit ?? true) {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  throw new ConfigError(
    message,
    result.error.issues.map((i) => i.path.join('.')),
  );
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly keys: string[],
  ) {
    super(message);
  }
}

/** A TCP port; 0 asks the OS for a free one (tests). */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** "1", "true", "yes" (any case) are true; everything else false. */
export const flag = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : /^(1|true|yes|on)$/i.test(v)));

/** A URL with one of the given protocols, or undefined when unset or empty. */
/** An optional setting where an empty value (`KEY=` in a .env file) means unset. */
export const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const optionalUrl = (...protocols: string[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** Settings every service shares. */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder for SQLite files and generated keys in the embedded mode. */
  DATA_DIR: z.string().default('data'),
  /** mysql://user:pass@host:port[/prefix]; unset = embedded SQLite under DATA_DIR. */
  DATABASE_URL: optionalUrl('mysql', 'mariadb'),
  /** redis://host:port; unset = in-process event bus. */
  REDIS_URL: optionalUrl('redis', 'rediss'),
  /** amqp://user:pass@host:port; unset = in-process message broker. */
  AMQP_URL: optionalUrl('amqp', 'amqps'),
  /** Prefix of every Redis key this deployment writes; default "manassa:". */
  REDIS_KEY_PREFIX: z.string().default('manassa:'),
};

/**
 * Tracing (platform/tracing): off unless an OTLP endpoint is set, and then spans go to that
 * endpoint only, never to a default one. The standard OpenTelemetry names, so collectors' docs apply.
 */
export const tracingEnv = {
  /** OTLP/HTTP base URL; traces go to `<it>/v1/traces`. Unset (and no traces endpoint) = tracing off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl('http', 'https'),
  /** OTLP/HTTP URL for traces, used as it is; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl('http', 'https'),
  /** The resource's `service.name`; default the service's own name (`gateway`, `users`, …; `el-manassa` under `npm start`). */
  OTEL_SERVICE_NAME: optionalString,
  /** `true` turns tracing off whatever else is set. Default false. */
  OTEL_SDK_DISABLED: flag(false),
  /** Share of new traces recorded (0..1); a call that arrives with a trace context follows its caller's choice. Default 1. */
  TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
};

/** Settings of the retention job (platform/outbox/pruner.ts) of every service that keeps bookkeeping rows. */
export const pruneEnv = {
  /** Minutes between two pruning runs; 0 turns pruning off. Default 60. */
  PRUNE_INTERVAL_MINUTES: z.coerce.number().min(0).default(60),
  /** Rows one delete statement removes at most, so no pruning statement holds locks for long. Default 1000. */
  PRUNE_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
};

/** The retention job's schedule, from pruneEnv. */
export function pruneSchedule(e: z.infer<z.ZodObject<typeof pruneEnv>>) {
  return { intervalMs: Math.round(e.PRUNE_INTERVAL_MINUTES * 60_000), batchSize: e.PRUNE_BATCH_SIZE };
}

/** Settings of every subgraph (on top of baseEnv). */
export const subgraphEnv = {
  /** Interface to listen on; default all. */
  HOST: z.string().default('0.0.0.0'),
  /** Public JWKS (JSON) of the gateway's internal-context key; unset = read from DATA_DIR/keys. */
  INTERNAL_JWKS: z.string().optional(),
  /** Seed the demo data on first start; default on outside production. */
  SEED_DEMO: z.string().optional(),
  /** Pause of the outbox relay between scans once nothing is due; 0 = publish only when drained (tests). Default 200. */
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(200),
  /** Prefix of the RabbitMQ queues this service consumes (tests give each run its own); default none. */
  AMQP_QUEUE_PREFIX: z.string().default(''),
  /** Hours a published outbox row is kept (for inspection and replays) before it is pruned; default 168 (7 days). */
  OUTBOX_RETENTION_HOURS: z.coerce.number().min(1).default(168),
  /**
   * Hours a consumer remembers a processed message id, i.e. how late a redelivered or replayed
   * (dead-lettered) message is still recognised as a duplicate; default 720 (30 days).
   */
  PROCESSED_MESSAGE_RETENTION_HOURS: z.coerce.number().min(1).default(720),
  ...pruneEnv,
};

/** Where the embedded mode keeps generated keys: one place for every service and script. */
export function keyFiles(dataDir: string) {
  const dir = path.join(dataDir, 'keys');
  return {
    /** The gateway's internal-context signing key (private JWKS). */
    internalContext: path.join(dir, 'internal-context.json'),
    /** The users subgraph's access-token signing key (private JWKS). */
    accessToken: path.join(dir, 'access-token.json'),
  };
}

type SubgraphEnv = z.infer<z.ZodObject<typeof baseEnv & typeof subgraphEnv>>;

/** The part of every subgraph's configuration that comes from baseEnv and subgraphEnv. */
export function subgraphConfig(e: SubgraphEnv, port: number) {
  return {
    port,
    host: e.HOST,
    production: e.NODE_ENV === 'production',
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_KEY_PREFIX,
    amqpUrl: e.AMQP_URL,
    internalKeys: { json: e.INTERNAL_JWKS, file: keyFiles(e.DATA_DIR).internalContext },
    seedDemo: flag(e.NODE_ENV !== 'production').parse(e.SEED_DEMO),
    outboxPollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS,
    queuePrefix: e.AMQP_QUEUE_PREFIX,
    retention: {
      ...pruneSchedule(e),
      outboxHours: e.OUTBOX_RETENTION_HOURS,
      processedMessageHours: e.PROCESSED_MESSAGE_RETENTION_HOURS,
    },
  };
}

/** What every subgraph's configuration has, whatever it adds of its own. */
export type SubgraphConfig = ReturnType<typeof subgraphConfig>;
