import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from '../../testkit/graphql-client';
import { startStack, type Stack } from '../../testkit/stack';
import { CONTENT_SECURITY_POLICY } from './static';

const INDEX = '<!doctype html><html lang="ar"><head><script type="module" src="/assets/index-3f2a9c.js"></script></head></html>\n';
const ASSET = 'console.log("app");\n';
/** Above compression's 1 KB threshold. */
const BIG_ASSET = `export const lessons = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `lesson ${i}`))};\n`;

/**
 * The web app served by the gateway, from a WEB_DIR fixture of this test (no build needed): the
 * page with its security headers, immutable assets, the SPA fallback, and what stays API.
 */
describe('web app at /', () => {
  let stack: Stack;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'manassa-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), INDEX);
    await writeFile(path.join(dir, 'assets', 'index-3f2a9c.js'), ASSET);
    await writeFile(path.join(dir, 'assets', 'lessons-9b1e7d.js'), BIG_ASSET);
    await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    stack = await startStack('sqlite', { WEB_DIR: dir }, { subgraphs: ['users'] });
    base = new URL(stack.gatewayUrl).origin;
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (p: string, accept = 'text/html,application/xhtml+xml,*/*;q=0.8', method = 'GET') =>
    request(`${base}${p}`, { method, headers: { accept } });
  const isIndex = (res: Awaited<ReturnType<typeof get>>) => {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toBe(INDEX);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-cache');
  };

  /** The raw bytes of a GET with Accept-Encoding (testkit's client does not send it). */
  const raw = (p: string, encoding: string) =>
    new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${base}${p}`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });

  it('compresses the app for clients that accept it (brotli, else gzip), and only for them', async () => {
    const brotli = await raw('/assets/lessons-9b1e7d.js', 'gzip, deflate, br');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.body).toString('utf8')).toBe(BIG_ASSET);
    const zipped = await raw('/assets/lessons-9b1e7d.js', 'gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toMatch(/immutable/);
    expect(zipped.body.length).toBeLessThan(Buffer.byteLength(BIG_ASSET));
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(BIG_ASSET);
    const plain = await raw('/assets/lessons-9b1e7d.js', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(BIG_ASSET);
  });

  it('serves index.html at / with its security headers, revalidated on each load', async () => {
    isIndex(await get('/'));
    isIndex(await get('/', '*/*'));
    isIndex(await get('/index.html'));
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    const head = await get('/', 'text/html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    // Revalidation of an unchanged page.
    const first = await get('/');
    const again = await request(`${base}/`, {
      method: 'GET',
      headers: { accept: 'text/html', 'if-modified-since': String(first.headers['last-modified']) },
    });
    expect(again.status).toBe(304);
  });

  it('serves hashed assets as immutable for a year, and a missing one as a plain 404', async () => {
    const asset = await get('/assets/index-3f2a9c.js', '*/*');
    expect(asset.status).toBe(200);
    expect(asset.text).toBe(ASSET);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    for (const accept of ['*/*', 'text/html']) {
      const missing = await get('/assets/index-000000.js', accept);
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toMatch(/^text\/plain/);
      expect(missing.text).not.toContain('<html');
    }
  });

  it('serves the other files of the build, revalidated', async () => {
    const icon = await get('/favicon.svg', 'image/*');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers the app’s own pages (a reload of /classroom/x) with index.html, for browsers only', async () => {
    isIndex(await get('/classroom/123'));
    isIndex(await get('/student/courses/abc?tab=lessons'));
    const head = await get('/classroom/123', 'text/html', 'HEAD');
    expect(head.status).toBe(200);
    // Not a page load: no HTML in answer to an API-style request, nor to a POST.
    expect((await get('/classroom/123', 'application/json')).status).toBe(404);
    expect((await request(`${base}/classroom/123`, { method: 'POST', headers: { accept: 'text/html' } })).status).toBe(404);
  });

  it('leaves the API and the probes alone, whatever the request accepts', async () => {
    // What Apollo answers a browser on /graphql (its landing page), never the app.
    const graphql = await get('/graphql');
    expect(graphql.text).not.toBe(INDEX);
    expect(graphql.headers['content-security-policy']).toBeUndefined();
    expect(graphql.text).toMatch(/apollo/i);

    const healthz = await get('/healthz');
    expect(healthz.headers['content-type']).toMatch(/^application\/json/);
    for (const p of ['/auth/login', '/auth/anything', '/webhooks/paymob', '/graphql/x', '/metrics/x', '/readyz/x']) {
      const res = await get(p);
      expect({ p, index: res.text === INDEX }).toEqual({ p, index: false });
    }
  });

  // Last: removes the build.
  it('says the web app is not built when WEB_DIR has no index.html', async () => {
    await rm(path.join(dir, 'index.html'));
    for (const p of ['/', '/classroom/123']) {
      const res = await get(p);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('npm run build');
    }
    // The API is unaffected.
    const school = await stack.gql('{ school { slug } }', { tenant: 'demo' });
    expect(school.body.data).toEqual({ school: { slug: 'demo' } });
  });
});
