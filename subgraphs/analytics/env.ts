import path from 'node:path';
import { z } from 'zod';
import { baseEnv, keyFiles, optionalString, parseEnv, port, subgraphConfig, subgraphEnv } from '../../platform/env';
import { fileStorageConfig, fileStorageEnv, s3KeysRule } from '../../platform/storage/open';

/** Port when run as its own process (ANALYTICS_PORT). */
export const ANALYTICS_DEFAULT_PORT = 4005;

/** `courses=http://10.0.0.7:4002/graphql,…` → { courses: 'http://…', … } (the gateway's SUBGRAPH_URLS format). */
const urlMap = (v: string, ctx: z.RefinementCtx) => {
  const out: Record<string, string> = {};
  for (const part of v.split(',').map((s) => s.trim())) {
    if (!part) continue;
    const [name, url] = part.split('=');
    if (!name || !url || !/^https?:\/\//.test(url)) ctx.addIssue({ code: 'custom', message: `"${part}" is not name=http(s)://url` });
    else out[name] = url.replace(/\/graphql\/?$/, '').replace(/\/+$/, '');
  }
  return out;
};

const schema = z.object({
  ...baseEnv,
  ...subgraphEnv,
  /** Default 4005. */
  ANALYTICS_PORT: port(ANALYTICS_DEFAULT_PORT),
  /**
   * Where the sources of the facts (courses, billing) are reached for a rebuild, in the gateway's
   * SUBGRAPH_URLS format (a trailing /graphql is dropped). Default courses on localhost:4002,
   * billing on localhost:4003.
   */
  SUBGRAPH_URLS: z.string().default('courses=http://localhost:4002,billing=http://localhost:4003').transform(urlMap),
  /**
   * Private JWKS (JSON) of the gateway's internal-context key: a rebuild asks courses and billing
   * for their facts signed like every internal call. Unset = read from DATA_DIR/keys (embedded).
   */
  INTERNAL_SIGNING_KEYS: optionalString,
  /** Timeout of one facts export (the whole stream); default 600000 ms. */
  FACTS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(600_000),
  /**
   * Build the aggregates from the sources' facts at start when none exist yet (first start, a new
   * database): `auto` (default), or `off`.
   */
  ANALYTICS_INITIAL_REBUILD: z.enum(['auto', 'off']).default('auto'),
  /** Time zone of a school whose own is not known yet ("live sessions today"); default Africa/Cairo. */
  DEFAULT_TIME_ZONE: z.string().default('Africa/Cairo'),
  /** Least pause between two dashboard updates of one topic; default 1000 ms. */
  DASHBOARD_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),

  // --- Report exports: S3 when a bucket is set, else the local disk (embedded mode) ---
  ...fileStorageEnv,
  /** Local files: the folder of report exports; default DATA_DIR/reports. */
  REPORTS_DIR: z.string().optional(),
  /**
   * Delays before each retry of a report whose run failed (storage or database down), comma-separated;
   * after the last one the job is FAILED. Default 1000,10000,60000 ms.
   */
  REPORT_RETRY_DELAYS_MS: z
    .string()
    .default('1000,10000,60000')
    .transform((v, ctx) => {
      const delays = v.split(',').map((d) => Number(d.trim()));
      if (!delays.every((d) => Number.isSafeInteger(d) && d >= 0))
        ctx.addIssue({ code: 'custom', message: 'comma-separated whole milliseconds' });
      return delays;
    }),
  /** Reports one process writes at once; default 2. */
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).default(2),
});

export function analyticsConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(schema.refine(...s3KeysRule), env);
  return {
    ...subgraphConfig(e, e.ANALYTICS_PORT),
    sources: e.SUBGRAPH_URLS,
    signingKeys: { json: e.INTERNAL_SIGNING_KEYS, file: keyFiles(e.DATA_DIR).internalContext },
    factsTimeoutMs: e.FACTS_TIMEOUT_MS,
    initialRebuild: e.ANALYTICS_INITIAL_REBUILD,
    defaultTimeZone: e.DEFAULT_TIME_ZONE,
    dashboardIntervalMs: e.DASHBOARD_INTERVAL_MS,
    files: fileStorageConfig(e, e.REPORTS_DIR ?? path.join(e.DATA_DIR, 'reports'), 'report-files-secret'),
    reports: { retryDelaysMs: e.REPORT_RETRY_DELAYS_MS, concurrency: e.REPORT_CONCURRENCY },
  };
}
export type AnalyticsConfig = ReturnType<typeof analyticsConfigFromEnv>;
