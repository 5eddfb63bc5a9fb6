import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { readOrCreateSecretFile } from '../../platform/secret-file';
import { createLocalStorage } from '../../platform/storage/local-storage';
import { localStorageRoutes } from '../../platform/storage/local-storage-routes';
import { createS3Storage } from '../../platform/storage/s3-storage';
import type { FileStorage } from '../../platform/storage/storage';
import type { BillingConfig } from './env';

/** Where the local storage's routes are mounted on this service. */
const FILES_PATH = '/files';

/**
 * The invoice PDFs' storage: S3 when a bucket is configured, else the local disk, whose signed
 * URLs this service serves itself under /files (mounted here on `app`).
 */
export async function openFileStorage(config: BillingConfig['files'], app: Express, serviceUrl: () => string): Promise<FileStorage> {
  if (config.s3) return createS3Storage(config.s3);
  const storage = createLocalStorage({
    dir: config.local.dir,
    baseUrl: () => config.local.publicUrl ?? `${serviceUrl()}${FILES_PATH}`,
    // Kept in a file so signed URLs survive a restart.
    secret: config.local.secret ?? (await readOrCreateSecretFile(config.local.secretFile, () => randomBytes(32).toString('hex'))).trim(),
  });
  app.use(FILES_PATH, localStorageRoutes(storage));
  return storage;
}
