import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { create as contentDisposition } from 'content-disposition';
import { assertSafeKey } from './keys';
import { downloadPolicy, uploadPolicy } from './presign-policy';
import type { FileStorage } from './storage';

export interface S3StorageOptions {
  /** An S3-compatible server (MinIO, Cloudflare R2, s3rver in tests). Default: AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * `endpoint/bucket/key` URLs instead of `bucket.endpoint/key`, which most S3-compatible servers
   * need. Default: true with an `endpoint`, false on AWS.
   */
  forcePathStyle?: boolean;
  /** The clock URLs are signed with. Default: the system clock (tests sign in the past). */
  now?: () => Date;
}

/**
 * Course files on S3 or an S3-compatible server, up- and downloaded through presigned URLs.
 * Uploads sign `Content-Type` and `Content-Length` (see the size rule in storage.ts), so S3
 * itself refuses another type or length with 403 SignatureDoesNotMatch.
 */
export function createS3Storage(opts: S3StorageOptions): FileStorage {
  const now = opts.now ?? (() => new Date());
  const client = new S3Client({
    endpoint: opts.endpoint,
    region: opts.region,
    forcePathStyle: opts.forcePathStyle ?? Boolean(opts.endpoint),
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    // Otherwise the SDK puts a checksum of the (absent) body into a presigned PUT and S3 refuses the real one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const expiry = (signedAt: Date, seconds: number) => new Date(signedAt.getTime() + seconds * 1000);

  return {
    async presignUpload(key, upload) {
      const { expiresInSeconds } = uploadPolicy(key, upload);
      const signingDate = now();
      const command = new PutObjectCommand({ Bucket: opts.bucket, Key: key, ContentType: upload.contentType, ContentLength: upload.size });
      const url = await getSignedUrl(client, command, {
        expiresIn: expiresInSeconds,
        signingDate,
        // The presigner leaves both unsigned by default; signed, S3 enforces them.
        signableHeaders: new Set(['content-type', 'content-length']),
      });
      return { url, method: 'PUT', headers: { 'Content-Type': upload.contentType }, expiresAt: expiry(signingDate, expiresInSeconds) };
    },

    async presignDownload(key, download = {}) {
      const { expiresInSeconds } = downloadPolicy(key, download);
      const signingDate = now();
      const command = new GetObjectCommand({
        Bucket: opts.bucket,
        Key: key,
        ResponseContentDisposition: download.fileName ? contentDisposition(download.fileName) : undefined,
      });
      const url = await getSignedUrl(client, command, { expiresIn: expiresInSeconds, signingDate });
      return { url, expiresAt: expiry(signingDate, expiresInSeconds) };
    },

    async head(key) {
      assertSafeKey(key);
      try {
        const found = await client.send(new HeadObjectCommand({ Bucket: opts.bucket, Key: key }));
        return { key, size: found.ContentLength ?? 0, contentType: found.ContentType ?? 'application/octet-stream' };
      } catch (err) {
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
        throw err;
      }
    },

    async delete(key) {
      assertSafeKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: key }));
    },

    async close() {
      client.destroy();
    },
  };
}
