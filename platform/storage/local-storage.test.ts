import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { courseFileKey } from './keys';
import { createLocalStorage, type LocalStorage } from './local-storage';
import { localStorageRoutes } from './local-storage-routes';
import { describeStorageContract } from '../../testkit/contracts/storage';

const dir = mkdtempSync(path.join(tmpdir(), 'manassa-files-'));
const secret = randomBytes(32).toString('hex');
let server: Server;
let baseUrl: string;
let served: LocalStorage;

beforeAll(async () => {
  const app = express();
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files`;
  served = createLocalStorage({ dir, baseUrl, secret });
  // The service that owns the files mounts the routes under the path of its baseUrl.
  app.use('/files', localStorageRoutes(served));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describeStorageContract('local', {
  // Same folder and secret as the served storage: URLs signed here are checked there, on the real clock.
  create: (opts) => createLocalStorage({ dir, baseUrl, secret, now: opts?.now }),
  signatureParam: 'sig',
});

function rawGet(requestPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    request({ host: '127.0.0.1', port, path: requestPath }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('local storage', () => {
  const newKey = () => courseFileKey({ schoolId: randomUUID(), courseId: randomUUID(), kind: 'document', fileName: 'notes.pdf' });
  const upload = async (key: string, body: Buffer) => {
    const target = await served.presignUpload(key, { contentType: 'application/pdf', size: body.length, maxBytes: 1_000_000 });
    expect((await fetch(target.url, { method: 'PUT', headers: target.headers, body })).status).toBe(200);
  };

  it('refuses traversal in the request path before looking at the signature', async () => {
    // Sent byte for byte: fetch would resolve dot segments itself (an attacker's client does not).
    for (const sneaky of ['..%2F..%2Fetc%2Fpasswd', '%2e%2e/%2e%2e/etc/passwd', 'a/%2E%2E/%2e%2e/etc/passwd', 'a%00b', 'a%5C..%5Cb']) {
      const { status, body } = await rawGet(`/files/${sneaky}?expires=9999999999&sig=x`);
      expect({ sneaky, status }).toEqual({ sneaky, status: 400 });
      expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('serves byte ranges (video seeking) with headers that keep uploaded files inert', async () => {
    const key = newKey();
    const body = randomBytes(1000);
    await upload(key, body);
    const response = await fetch((await served.presignDownload(key)).url, { headers: { Range: 'bytes=100-199' } });
    expect(response.status).toBe(206);
    expect(Buffer.from(await response.arrayBuffer()).equals(body.subarray(100, 200))).toBe(true);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('keeps files under its folder and leaves no partial upload behind', async () => {
    const key = newKey();
    await upload(key, randomBytes(10));
    const refused = await served.presignUpload(newKey(), { contentType: 'application/pdf', size: 10, maxBytes: 10 });
    expect((await fetch(refused.url, { method: 'PUT', headers: refused.headers, body: randomBytes(9) })).status).toBe(403);
    expect(served.objectPath(key)).toBe(path.join(dir, 'objects', key));
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses a secret too short to sign with', () => {
    expect(() => createLocalStorage({ dir, baseUrl, secret: 'short' })).toThrow(RangeError);
  });
});
