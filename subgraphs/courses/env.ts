import path from 'node:path';
import { z } from 'zod';
import { fileStorageConfig, fileStorageEnv, s3KeysRule } from '../../platform/storage/open';
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
  ...fileStorageEnv,
  /** Local files: the folder course files are kept in; default DATA_DIR/files. */
  FILES_DIR: z.string().optional(),
});

export function coursesConfigFromEnv(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(schema.refine(...s3KeysRule), env);
  return {
    ...subgraphConfig(e, e.COURSES_PORT),
    lateAfterSeconds: e.LIVE_LATE_AFTER_SECONDS,
    peopleBackfill: e.PEOPLE_BACKFILL,
    files: fileStorageConfig(e, e.FILES_DIR ?? path.join(e.DATA_DIR, 'files')),
  };
}
export type CoursesConfig = ReturnType<typeof coursesConfigFromEnv>;
