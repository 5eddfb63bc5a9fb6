import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { parse as parseContentDisposition } from 'content-disposition';
import { GraphQLError } from 'graphql';
import { courseFileKey, InvalidStorageKeyError } from '../../platform/storage/keys';
import type { FileStorage, PresignedUpload } from '../../platform/storage/storage';

/** What the shared suite needs from an adapter's test file. */
export interface StorageHarness {
  /** A storage on the adapter's server; `now` is its signing clock. The suite closes it. */
  create(opts?: { now?: () => Date }): FileStorage;
  /** The query parameter that carries a URL's signature. */
  signatureParam: string;
}

const HOUR_MS = 3_600_000;

/**
 * A body of `chunks` random 1 MiB chunks made as it is read (never held whole), and the SHA-256
 * of what it produced; with `failAfter`, it errors once that many chunks are out.
 */
function generatedBody(chunks: number, failAfter?: number) {
  const hash = createHash('sha256');
  const body = Readable.from(
    (async function* () {
      for (let i = 0; i < chunks; i++) {
        if (i === failAfter) throw new Error('the producer failed');
        const chunk = randomBytes(1024 * 1024);
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  return { body, digest: () => hash.digest('hex') };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The FileStorage contract, run against every adapter through real HTTP: upload and download by
 * presigned URL, metadata, deletion, refusals of expired or tampered URLs, of another content type
 * or length than the signed ones, and of unsafe keys; server-side streamed writes (`putStream`),
 * all or nothing.
 */
export function describeStorageContract(name: string, harness: StorageHarness): void {
  describe(`FileStorage contract: ${name}`, () => {
    const opened: FileStorage[] = [];
    const open = (opts?: { now?: () => Date }) => {
      const created = harness.create(opts);
      opened.push(created);
      return created;
    };
    let storage: FileStorage;

    beforeAll(() => {
      storage = open();
    });

    afterAll(async () => {
      await Promise.all(opened.map((s) => s.close()));
    });

    const newKey = (fileName = 'lesson 1.mp4') =>
      courseFileKey({ schoolId: randomUUID(), courseId: randomUUID(), kind: 'video', fileName });
    const put = (upload: PresignedUpload, body: Uint8Array, headers = upload.headers) =>
      fetch(upload.url, { method: upload.method, headers, body });
    const uploadBytes = async (key: string, body: Uint8Array, contentType = 'video/mp4') => {
      const response = await put(await storage.presignUpload(key, { contentType, size: body.length, maxBytes: 1_000_000 }), body);
      expect(response.status).toBe(200);
    };
    const garble = (url: string) => {
      const parsed = new URL(url);
      const signature = parsed.searchParams.get(harness.signatureParam)!;
      parsed.searchParams.set(harness.signatureParam, signature.slice(0, -4) + (signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
      return parsed.toString();
    };

    it('uploads through the presigned PUT and downloads the same bytes through the presigned GET', async () => {
      const key = newKey();
      const body = randomBytes(200_000);
      const upload = await storage.presignUpload(key, {
        contentType: 'video/mp4',
        size: body.length,
        maxBytes: 1_000_000,
        expiresInSeconds: 120,
      });
      expect(upload).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'video/mp4' } });
      expect(upload.expiresAt.getTime()).toBeGreaterThan(Date.now() + 100_000);
      expect((await put(upload, body)).status).toBe(200);
      expect(await storage.head(key)).toEqual({ key, size: body.length, contentType: 'video/mp4' });

      const download = await storage.presignDownload(key, { fileName: 'الدرس الأول.mp4' });
      const response = await fetch(download.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('video/mp4');
      expect(parseContentDisposition(response.headers.get('content-disposition')!)).toMatchObject({
        type: 'attachment',
        parameters: { filename: 'الدرس الأول.mp4' },
      });
      expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
    });

    it('reports a missing key as null, and deletes idempotently', async () => {
      const key = newKey();
      expect(await storage.head(key)).toBeNull();
      await uploadBytes(key, randomBytes(10));
      await storage.delete(key);
      expect(await storage.head(key)).toBeNull();
      expect((await fetch((await storage.presignDownload(key)).url)).status).toBe(404);
      await expect(storage.delete(key)).resolves.toBeUndefined();
    });

    it('refuses expired URLs', async () => {
      const key = newKey();
      const body = randomBytes(10);
      const anHourAgo = open({ now: () => new Date(Date.now() - HOUR_MS) });
      const stale = await anHourAgo.presignUpload(key, {
        contentType: 'video/mp4',
        size: body.length,
        maxBytes: 100,
        expiresInSeconds: 60,
      });
      expect((await put(stale, body)).status).toBe(403);
      expect(await storage.head(key)).toBeNull();

      await uploadBytes(key, body);
      expect((await fetch((await anHourAgo.presignDownload(key, { expiresInSeconds: 60 })).url)).status).toBe(403);
    });

    it('refuses garbled signatures', async () => {
      const key = newKey();
      const body = randomBytes(10);
      const upload = await storage.presignUpload(key, { contentType: 'video/mp4', size: body.length, maxBytes: 100 });
      expect((await put({ ...upload, url: garble(upload.url) }, body)).status).toBe(403);
      expect(await storage.head(key)).toBeNull();

      await uploadBytes(key, body);
      expect((await fetch(garble((await storage.presignDownload(key)).url))).status).toBe(403);
    });

    it('refuses an upload with another content type than the signed one', async () => {
      const key = newKey('notes.pdf');
      const body = Buffer.from('<script>alert(1)</script>');
      const upload = await storage.presignUpload(key, { contentType: 'application/pdf', size: body.length, maxBytes: 100 });
      expect((await put(upload, body, { 'Content-Type': 'text/html' })).status).toBe(403);
      expect(await storage.head(key)).toBeNull();
    });

    it('refuses a declared size over maxBytes, and a body of another length than declared', async () => {
      const key = newKey();
      const tooLarge = storage.presignUpload(key, { contentType: 'video/mp4', size: 1001, maxBytes: 1000 });
      await expect(tooLarge).rejects.toBeInstanceOf(GraphQLError);
      await expect(tooLarge).rejects.toMatchObject({ extensions: { code: 'PAYLOAD_TOO_LARGE', maxBytes: 1000 } });

      const upload = await storage.presignUpload(key, { contentType: 'video/mp4', size: 1000, maxBytes: 1000 });
      expect((await put(upload, randomBytes(1001))).status).toBe(403);
      expect((await put(upload, randomBytes(999))).status).toBe(403);
      expect(await storage.head(key)).toBeNull();
      expect((await put(upload, randomBytes(1000))).status).toBe(200);
      expect((await storage.head(key))?.size).toBe(1000);
    });

    it('streams a server-made body of several parts and serves exactly those bytes, with the stored name', async () => {
      const key = newKey('report.csv');
      // 12 MiB: more than two of S3's 5 MiB parts, so the S3 adapter's multipart path runs.
      const { body, digest } = generatedBody(12);
      const stored = await storage.putStream(key, body, { contentType: 'text/csv; charset=utf-8', fileName: 'تقرير المدرسة.csv' });
      const size = 12 * 1024 * 1024;
      expect(stored).toEqual({ key, size, contentType: 'text/csv; charset=utf-8', fileName: 'تقرير المدرسة.csv' });
      expect(await storage.head(key)).toEqual(stored);

      const response = await fetch((await storage.presignDownload(key)).url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(parseContentDisposition(response.headers.get('content-disposition')!)).toMatchObject({
        type: 'attachment',
        parameters: { filename: 'تقرير المدرسة.csv' },
      });
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(digest());

      // A download URL's own name wins over the stored one.
      const named = await fetch((await storage.presignDownload(key, { fileName: 'other.csv' })).url);
      expect(parseContentDisposition(named.headers.get('content-disposition')!).parameters.filename).toBe('other.csv');
      await named.arrayBuffer();
    });

    it('replaces the object at the key when written again', async () => {
      const key = newKey('report.csv');
      await storage.putStream(key, Readable.from([Buffer.from('first')]), { contentType: 'text/csv' });
      await storage.putStream(key, Readable.from([Buffer.from('second, longer')]), { contentType: 'text/csv' });
      expect(await (await fetch((await storage.presignDownload(key)).url)).text()).toBe('second, longer');
      expect((await storage.head(key))?.size).toBe('second, longer'.length);
    });

    it('writes nothing of a body that fails, and keeps what the key served before', async () => {
      const fresh = newKey('report.csv');
      const small = generatedBody(3, 2);
      await expect(storage.putStream(fresh, small.body, { contentType: 'text/csv' })).rejects.toThrow('the producer failed');
      expect(await storage.head(fresh)).toBeNull();

      const kept = newKey('report.csv');
      await storage.putStream(kept, Readable.from([Buffer.from('complete')]), { contentType: 'text/csv' });
      // Past the first 5 MiB part: S3 has a multipart upload under way when the body fails.
      const large = generatedBody(8, 7);
      await expect(storage.putStream(kept, large.body, { contentType: 'text/csv' })).rejects.toThrow('the producer failed');
      expect(await storage.head(kept)).toMatchObject({ size: 'complete'.length });
      expect(await (await fetch((await storage.presignDownload(kept)).url)).text()).toBe('complete');
    });

    it('refuses a stored content type that is not one header value', async () => {
      const body = Readable.from([Buffer.from('x')]);
      await expect(storage.putStream(newKey(), body, { contentType: 'text/csv\r\nX-Evil: 1' })).rejects.toThrow(RangeError);
    });

    it.each(['../../etc/passwd', '/etc/passwd', 'schools/a/../../b', 'schools//a', 'schools/a\0b', 'schools\\a', ''])(
      'refuses the unsafe key %j',
      async (key) => {
        const refused = expect.any(InvalidStorageKeyError);
        await expect(storage.presignUpload(key, { contentType: 'video/mp4', size: 1, maxBytes: 1 })).rejects.toEqual(refused);
        await expect(storage.presignDownload(key)).rejects.toEqual(refused);
        await expect(storage.head(key)).rejects.toEqual(refused);
        await expect(storage.delete(key)).rejects.toEqual(refused);
        await expect(storage.putStream(key, Readable.from([Buffer.from('x')]), { contentType: 'text/csv' })).rejects.toEqual(refused);
      },
    );
  });
}
