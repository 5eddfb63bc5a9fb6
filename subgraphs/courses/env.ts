import path from 'node:path';
import { z } from 'zod';
import { baseEnv, parseEnv, port, subgraphConfig, subgraphEnv } from '../../platform/env';

/** Port when run as its own process (COURSES_PORT). */
export const COURSES_DEFAULT_PORT = 4002;

const schema = z.object({
  ...baseEnv,
  ...subgraphEnv,
  /** Default 4002. */
  COURSES_PORT: port(COURSES_DEFAULT_PORT),
  /**
   * When to ask users for every person (the people read model's backfill): `auto` (default) when
   * the read model is empty (first start, new deployment), `always` on every start (after a
   * restore, or to repair the read model).
   */
  PEOPLE_BACKFILL: z.enum(['auto', 'always']).default('auto'),
  /** A first join this many seconds after a live session's start is LATE; default 300 (5 minutes). */
  LIVE_LATE_AFTER_SECONDS: z.coerce.number().int().min(0).max(3600).default(300),
  /** S3 bucket of course files; unset = files on the local disk under DATA_DIR/files (embedded mode). */
  S3_BUCKET: z.string().optional(),
  /** Default us-east-1. */
  S3_REGION: z.string().default('us-east-1'),
  /** An S3-compatible endpoint (MinIO, R2…); unset = AWS S3. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Local files: the folder they are kept in; default DATA_DIR/files. */
  FILES_DIR: z.string().optional(),
  /** Local files: the URL clients reach this service's /files routes at; default this service's own URL. */
  FILES_PUBLIC_URL: z.string().url().optional(),
  /** Local files: HMAC secret of their URLs (32+ characters); unset = generated once under DATA_DIR/keys. */
  FILES_SIGNING_SECRET: z.string().min(32).optional(),
});

export function coursesConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(
    schema.refine((v) => !v.S3_BUCKET || (v.S3_ACCESS_KEY_ID && v.S3_SECRET_ACCESS_KEY), {
      message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required with S3_BUCKET',
      path: ['S3_BUCKET'],
    }),
    env,
  );
  return {
    ...subgraphConfig(e, e.COURSES_PORT),
    lateAfterSeconds: e.LIVE_LATE_AFTER_SECONDS,
    peopleBackfill: e.PEOPLE_BACKFILL,
    files: e.S3_BUCKET
      ? {
          s3: {
            bucket: e.S3_BUCKET,
            region: e.S3_REGION,
            endpoint: e.S3_ENDPOINT,
            accessKeyId: e.S3_ACCESS_KEY_ID!,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
          },
        }
      : {
          local: {
            dir: e.FILES_DIR ?? path.join(e.DATA_DIR, 'files'),
            publicUrl: e.FILES_PUBLIC_URL,
            secret: e.FILES_SIGNING_SECRET,
            secretFile: path.join(e.DATA_DIR, 'keys', 'files-secret'),
          },
        },
  };
}
export type CoursesConfig = ReturnType<typeof coursesConfigFromEnv>;
