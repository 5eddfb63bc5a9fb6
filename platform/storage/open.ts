import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Express } from 'express';
import { z } from 'zod';
import { readOrCreateSecretFile } from '../secret-file';
import { createLocalStorage } from './local-storage';
import { localStorageRoutes } from './local-storage-routes';
import { createS3Storage, type S3StorageOptions } from './s3-storage';
import type { FileStorage } from './storage';

/** Settings of a subgraph that keeps files (course files, invoice PDFs): S3, or the local disk in embedded mode. */
export const fileStorageEnv = {
  /** S3 bucket; unset = files on the local disk under DATA_DIR (embedded mode), served by the service at /files. */
  S3_BUCKET: z.string().optional(),
  /** Default us-east-1. */
  S3_REGION: z.string().default('us-east-1'),
  /** An S3-compatible endpoint (MinIO, R2…); unset = AWS S3. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Local files: the URL clients reach this service's /files routes at; default this service's own URL. */
  FILES_PUBLIC_URL: z.string().url().optional(),
  /** Local files: HMAC secret of their URLs (32+ characters); unset = generated once under DATA_DIR/keys. */
  FILES_SIGNING_SECRET: z.string().min(32).optional(),
};

type FileStorageEnv = z.infer<z.ZodObject<typeof fileStorageEnv>> & { DATA_DIR: string };

/** For `schema.refine(...s3KeysRule)`: S3 keys come with a bucket. */
export const s3KeysRule: [(v: Partial<FileStorageEnv>) => boolean, { message: string; path: string[] }] = [
  (v) => !v.S3_BUCKET || !!(v.S3_ACCESS_KEY_ID && v.S3_SECRET_ACCESS_KEY),
  { message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required with S3_BUCKET', path: ['S3_BUCKET'] },
];

export type FileStorageConfig =
  | { s3: S3StorageOptions; local?: undefined }
  | { s3?: undefined; local: { dir: string; publicUrl?: string; secret?: string; secretFile: string } };

/**
 * The storage configuration from `fileStorageEnv`; local files go in `localDir` (the subgraph's
 * own folder setting), their URL secret in DATA_DIR/keys/`secretName` (one per service).
 */
export function fileStorageConfig(e: FileStorageEnv, localDir: string, secretName = 'files-secret'): FileStorageConfig {
  if (e.S3_BUCKET) {
    return {
      s3: {
        bucket: e.S3_BUCKET,
        region: e.S3_REGION,
        endpoint: e.S3_ENDPOINT,
        accessKeyId: e.S3_ACCESS_KEY_ID!,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
      },
    };
  }
  return {
    local: {
      dir: localDir,
      publicUrl: e.FILES_PUBLIC_URL,
      secret: e.FILES_SIGNING_SECRET,
      secretFile: path.join(e.DATA_DIR, 'keys', secretName),
    },
  };
}

/** Where the local storage's routes are mounted on the service. */
const FILES_PATH = '/files';

/**
 * A subgraph's file storage: S3 when a bucket is configured, else the local disk, whose signed
 * URLs the service serves itself under /files (mounted here on `app`).
 */
export async function openFileStorage(config: FileStorageConfig, app: Express, serviceUrl: () => string): Promise<FileStorage> {
  if (config.s3) return createS3Storage(config.s3);
  const local = config.local;
  const storage = createLocalStorage({
    dir: local.dir,
    baseUrl: () => local.publicUrl ?? `${serviceUrl()}${FILES_PATH}`,
    // Kept in a file so signed URLs survive a restart.
    secret: local.secret ?? (await readOrCreateSecretFile(local.secretFile, () => randomBytes(32).toString('hex'))).trim(),
  });
  app.use(FILES_PATH, localStorageRoutes(storage));
  return storage;
}
