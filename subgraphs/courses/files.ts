import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { createLocalStorage } from '../../platform/storage/local-storage';
import { localStorageRoutes } from '../../platform/storage/local-storage-routes';
import { createS3Storage } from '../../platform/storage/s3-storage';
import type { FileStorage } from '../../platform/storage/storage';
import type { CoursesConfig } from './env';

/** Where the local storage's routes are mounted on this service. */
const FILES_PATH = '/files';

/**
 * The course files' storage: S3 when a bucket is configured, else the local disk, whose signed
 * URLs this service serves itself under /files (mounted here on `app`).
 */
export function openFileStorage(config: CoursesConfig['files'], app: Express, serviceUrl: string): FileStorage {
  if (config.s3) return createS3Storage(config.s3);
  const storage = createLocalStorage({
    dir: config.local.dir,
    baseUrl: (config.local.publicUrl ?? `${serviceUrl}${FILES_PATH}`).replace(/\/+$/, ''),
    secret: config.local.secret ?? persistedSecret(config.local.secretFile),
  });
  app.use(FILES_PATH, localStorageRoutes(storage));
  return storage;
}

/** A random secret kept in `file` (created on first use), so signed URLs survive a restart. */
function persistedSecret(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process created it meanwhile; use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
