import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { create as contentDisposition, parse as parseContentDisposition } from 'content-disposition';
import { pipeline, Transform } from 'node:stream';
import { assertSafeKey } from './keys';
import { downloadPolicy, putPolicy, uploadPolicy } from './presign-policy';
import type { FileStorage } from './storage';

/**
 * Multipart parts of `putStream`: S3's smallest part (every part but the last must be at least
 * 5 MiB), two in flight at once; so a stream of any length holds at most ~10 MiB here, and with
 * S3's 10,000 parts an object can reach ~48 GiB.
 */
const PART_BYTES = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/** The file name of a stored `Content-Disposition`, if it has a readable one. */
function fileNameOf(disposition: string | undefined): string | undefined {
  if (!disposition) return undefined;
  try {
    const name = parseContentDisposition(disposition).parameters.filename;
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}

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
 * itself refuses another type or length with 403 SignatureDoesNotMatch. Files the server makes
 * (`putStream`) go up as multipart uploads (@aws-sdk/lib-storage), which S3 shows under the key
 * only once completed, and aborts when the body fails.
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

    async putStream(key, body, put) {
      putPolicy(key, put);
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      // A failing body destroys the counter with its error, which fails (and aborts) the upload.
      const counted = pipeline(body, counter, () => undefined);
      const upload = new Upload({
        client,
        params: {
          Bucket: opts.bucket,
          Key: key,
          Body: counted,
          ContentType: put.contentType,
          ContentDisposition: put.fileName ? contentDisposition(put.fileName) : undefined,
        },
        partSize: PART_BYTES,
        queueSize: PARTS_IN_FLIGHT,
        // Aborted below instead, so that the error reported is the one that failed the write, not
        // a failed abort's (the bucket's AbortIncompleteMultipartUpload rule clears what is left).
        leavePartsOnError: true,
      });
      try {
        await upload.done();
      } catch (err) {
        // The storage failed first: stop the producer too (a database cursor, a generator).
        counted.destroy();
        body.destroy();
        if (upload.uploadId) {
          await client
            .send(new AbortMultipartUploadCommand({ Bucket: opts.bucket, Key: key, UploadId: upload.uploadId }))
            .catch(() => undefined);
        }
        throw err;
      }
      return { key, size, contentType: put.contentType, ...(put.fileName ? { fileName: put.fileName } : {}) };
    },

    async head(key) {
      assertSafeKey(key);
      try {
        const found = await client.send(new HeadObjectCommand({ Bucket: opts.bucket, Key: key }));
        const fileName = fileNameOf(found.ContentDisposition);
        return {
          key,
          size: found.ContentLength ?? 0,
          contentType: found.ContentType ?? 'application/octet-stream',
          ...(fileName ? { fileName } : {}),
        };
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
