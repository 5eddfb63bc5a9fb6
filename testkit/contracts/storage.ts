import { randomBytes, randomUUID } from 'node:crypto';
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
 * The FileStorage contract, run against every adapter through real HTTP: upload and download by
 * presigned URL, metadata, deletion, refusals of expired or tampered URLs, of another content type
 * or length than the signed ones, and of unsafe keys.
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

    it.each(['../../etc/passwd', '/etc/passwd', 'schools/a/../../b', 'schools//a', 'schools/a\0b', 'schools\\a', ''])(
      'refuses the unsafe key %j',
      async (key) => {
        const refused = expect.any(InvalidStorageKeyError);
        await expect(storage.presignUpload(key, { contentType: 'video/mp4', size: 1, maxBytes: 1 })).rejects.toEqual(refused);
        await expect(storage.presignDownload(key)).rejects.toEqual(refused);
        await expect(storage.head(key)).rejects.toEqual(refused);
        await expect(storage.delete(key)).rejects.toEqual(refused);
      },
    );
  });
}
