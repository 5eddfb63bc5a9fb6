import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, InvalidStorageKeyError } from './keys';
import { downloadPolicy, putPolicy, uploadPolicy } from './presign-policy';
import type { FileStorage, PresignDownloadOptions, PresignedUpload, PresignUploadOptions, PutStreamOptions, StoredObject } from './storage';

export interface LocalStorageOptions {
  /** Folder holding the files (`objects/`), their content types (`meta/`) and uploads in progress (`tmp/`). */
  dir: string;
  /**
   * Public URL prefix where the owning service mounts `localStorageRoutes`, e.g. `http://localhost:4002/files`;
   * a function when it is known only once the service listens (read when a URL is signed).
   */
  baseUrl: string | (() => string);
  /** Key of the URLs' HMAC-SHA256 signatures; at least 32 characters. */
  secret: string;
  /** The clock URLs are signed and checked with. Default: the system clock (tests sign in the past). */
  now?: () => Date;
}

/** Why a request's signature does not hold; the routes answer 403 with it. */
export type Denial = { denied: string };
export type UploadGrant = { contentType: string; size: number };
export type DownloadGrant = { fileName?: string };

/** What `meta/<key>.json` keeps of an object beside its bytes. */
interface Meta {
  contentType: string;
  fileName?: string;
}

/** A body that is not the signed length (the client lied about Content-Length or hung up). */
export class UploadLengthError extends Error {}

const MIN_SECRET_LENGTH = 32;

/**
 * Course files on the local disk, for the embedded mode: the same presigned-URL flow as S3, with
 * URLs that carry an expiry and an HMAC over everything the server must enforce (method, key,
 * expiry, content type and size, or the download name), served by `localStorageRoutes`.
 */
export class LocalStorage implements FileStorage {
  private readonly root: string;
  private readonly baseUrl: () => string;
  private readonly now: () => Date;

  constructor(private readonly opts: LocalStorageOptions) {
    if (opts.secret.length < MIN_SECRET_LENGTH)
      throw new RangeError(`the local storage secret needs at least ${MIN_SECRET_LENGTH} characters`);
    this.root = path.resolve(opts.dir);
    const baseUrl = opts.baseUrl;
    this.baseUrl = () => (typeof baseUrl === 'function' ? baseUrl() : baseUrl).replace(/\/+$/, '');
    this.now = opts.now ?? (() => new Date());
  }

  async presignUpload(key: string, upload: PresignUploadOptions): Promise<PresignedUpload> {
    const { expiresInSeconds } = uploadPolicy(key, upload);
    const expires = this.expiry(expiresInSeconds);
    const params = { expires: String(expires), type: upload.contentType, size: String(upload.size) };
    return {
      url: this.url(key, { ...params, sig: this.sign('PUT', key, params.expires, params.type, params.size) }),
      method: 'PUT',
      headers: { 'Content-Type': upload.contentType },
      expiresAt: new Date(expires * 1000),
    };
  }

  async presignDownload(key: string, download: PresignDownloadOptions = {}): Promise<{ url: string; expiresAt: Date }> {
    const { expiresInSeconds } = downloadPolicy(key, download);
    const expires = this.expiry(expiresInSeconds);
    const name = download.fileName ?? '';
    const params = { expires: String(expires), ...(name ? { name } : {}) };
    return { url: this.url(key, { ...params, sig: this.sign('GET', key, params.expires, name) }), expiresAt: new Date(expires * 1000) };
  }

  /**
   * Streams the body to a temporary file and renames it over the key once the body has ended, so
   * a half-written file is never served (a rename within one filesystem is atomic).
   */
  async putStream(key: string, body: Readable, opts: PutStreamOptions): Promise<StoredObject> {
    putPolicy(key, opts);
    const target = this.objectPath(key);
    const tmp = path.join(this.root, 'tmp', randomUUID());
    await mkdir(path.dirname(tmp), { recursive: true });
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(tmp));
      await mkdir(path.dirname(target), { recursive: true });
      await mkdir(path.dirname(this.metaPath(key)), { recursive: true });
      const meta: Meta = { contentType: opts.contentType, ...(opts.fileName ? { fileName: opts.fileName } : {}) };
      await writeFile(this.metaPath(key), JSON.stringify(meta));
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
    return { key, size, contentType: opts.contentType, ...(opts.fileName ? { fileName: opts.fileName } : {}) };
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const [info, text] = await Promise.all([stat(this.objectPath(key)), readFile(this.metaPath(key), 'utf8')]);
      const meta = JSON.parse(text) as Meta;
      return { key, size: info.size, contentType: meta.contentType, ...(meta.fileName ? { fileName: meta.fileName } : {}) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.objectPath(key), { force: true });
    await rm(this.metaPath(key), { force: true });
  }

  /** Nothing to release: every request opens and closes its own file. */
  async close(): Promise<void> {}

  /** Checks an upload request's query (`expires`, `type`, `size`, `sig`) against the key. */
  verifyUpload(key: string, query: URLSearchParams): UploadGrant | Denial {
    const [expires, type, size] = [query.get('expires') ?? '', query.get('type') ?? '', query.get('size') ?? ''];
    const denied = this.check(query.get('sig'), expires, this.sign('PUT', key, expires, type, size));
    return denied ?? { contentType: type, size: Number(size) };
  }

  /** Checks a download request's query (`expires`, `name`, `sig`) against the key. */
  verifyDownload(key: string, query: URLSearchParams): DownloadGrant | Denial {
    const [expires, name] = [query.get('expires') ?? '', query.get('name') ?? ''];
    const denied = this.check(query.get('sig'), expires, this.sign('GET', key, expires, name));
    return denied ?? (name ? { fileName: name } : {});
  }

  /**
   * Streams an upload to a temporary file and moves it into place only once it is complete and
   * exactly `size` bytes long, so a broken upload never shows up under its key.
   */
  async save(key: string, body: Readable, grant: UploadGrant): Promise<void> {
    const target = this.objectPath(key);
    const tmp = path.join(this.root, 'tmp', randomUUID());
    await mkdir(path.dirname(tmp), { recursive: true });
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > grant.size ? new UploadLengthError(`more than the signed ${grant.size} bytes`) : null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(tmp));
      if (received !== grant.size) throw new UploadLengthError(`${received} bytes received, ${grant.size} signed`);
      await mkdir(path.dirname(target), { recursive: true });
      await mkdir(path.dirname(this.metaPath(key)), { recursive: true });
      await writeFile(this.metaPath(key), JSON.stringify({ contentType: grant.contentType }));
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** The file of a key; throws for a key that is unsafe or would resolve outside the folder. */
  objectPath(key: string): string {
    return this.inside(path.join(this.root, 'objects'), key);
  }

  private metaPath(key: string): string {
    return `${this.inside(path.join(this.root, 'meta'), key)}.json`;
  }

  private inside(base: string, key: string): string {
    assertSafeKey(key);
    const resolved = path.resolve(base, key);
    // assertSafeKey already refuses what could escape; this guards against any path quirk it missed.
    if (!resolved.startsWith(base + path.sep)) throw new InvalidStorageKeyError(key, 'resolves outside the storage folder');
    return resolved;
  }

  private expiry(seconds: number): number {
    return Math.floor(this.now().getTime() / 1000) + seconds;
  }

  private url(key: string, params: Record<string, string>): string {
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    return `${this.baseUrl()}/${encodedKey}?${new URLSearchParams(params)}`;
  }

  /** JSON keeps the parts apart whatever they contain (a download name may hold anything). */
  private sign(...parts: string[]): string {
    return createHmac('sha256', this.opts.secret).update(JSON.stringify(parts)).digest('base64url');
  }

  private check(given: string | null, expires: string, expected: string): Denial | undefined {
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { denied: 'signature does not match' };
    if (Number(expires) * 1000 < this.now().getTime()) return { denied: 'URL expired' };
    return undefined;
  }
}

export function createLocalStorage(opts: LocalStorageOptions): LocalStorage {
  return new LocalStorage(opts);
}
