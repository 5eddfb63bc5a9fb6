/**
 * File storage for course media (videos, documents, thumbnails): clients upload and download
 * directly with short-lived presigned URLs; the API never streams file bodies a client sends.
 * Files the server makes itself (report exports) are written with `putStream`, streamed from
 * their producer without ever being held whole in memory.
 * Adapters: S3 (@aws-sdk/client-s3 with presigned URLs; any S3-compatible server) and the local
 * filesystem (embedded mode; URLs served and verified by the owning service).
 *
 * Size rule: a presigned PUT cannot carry S3's `content-length-range` (only POST policies can),
 * so the client declares the file's size up front and the upload URL is signed for exactly that
 * many bytes (`Content-Length` is a signed header). `presignUpload` refuses a declared size over
 * `maxBytes`; the storage refuses a body of any other length. Both adapters behave alike.
 */
import type { Readable } from 'node:stream';

export interface PresignedUpload {
  /** PUT the file body here, with the given headers; the body must be exactly the declared size. */
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface StoredObject {
  key: string;
  size: number;
  contentType: string;
  /** The download name stored with the object (`putStream`'s `fileName`), when it has one. */
  fileName?: string;
}

export interface PutStreamOptions {
  /** Stored with the object and served with every download, e.g. `text/csv; charset=utf-8`. */
  contentType: string;
  /**
   * The name a browser saves a download under (`Content-Disposition: attachment`) when the
   * presigned download names none itself. Default: none.
   */
  fileName?: string;
}

export interface PresignUploadOptions {
  /** The only Content-Type the upload is accepted with (signed). */
  contentType: string;
  /** The file size the client declared, in bytes; the URL accepts a body of exactly this length. */
  size: number;
  /** The largest file allowed here; a larger declared size is refused (PAYLOAD_TOO_LARGE). */
  maxBytes: number;
  /** Default 900 (15 minutes); at most 604800 (7 days, S3's limit). */
  expiresInSeconds?: number;
}

export interface PresignDownloadOptions {
  /** Default 900 (15 minutes); at most 604800 (7 days, S3's limit). */
  expiresInSeconds?: number;
  /** Offered to the browser as the download's name (`Content-Disposition: attachment`). */
  fileName?: string;
}

export interface FileStorage {
  /** Keys come from `keys.ts` (`courseFileKey`); unsafe keys throw `InvalidStorageKeyError`. */
  presignUpload(key: string, opts: PresignUploadOptions): Promise<PresignedUpload>;
  presignDownload(key: string, opts?: PresignDownloadOptions): Promise<{ url: string; expiresAt: Date }>;
  /**
   * Writes a body the server produces at `key`, streamed (backpressure holds the producer back;
   * the body is never held whole in memory), replacing any object there. All or nothing: until
   * the body has ended, the key keeps serving what it had (or nothing), and a body that fails
   * (its producer errors, the storage is down) leaves no partial object behind; the promise then
   * rejects. S3: a multipart upload; local: a temporary file renamed into place.
   */
  putStream(key: string, body: Readable, opts: PutStreamOptions): Promise<StoredObject>;
  /** Metadata of an uploaded object, or null when nothing was uploaded at that key. */
  head(key: string): Promise<StoredObject | null>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Releases connections (the S3 client's sockets). */
  close(): Promise<void>;
}
