import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createTenantResolver } from './tenant';

/** The school directory (users' /internal/tenants) failing: known schools keep working, others get a 503. */
describe('tenant resolver when the directory fails', () => {
  let status = 200;
  let lookups = 0;
  let server: http.Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      lookups++;
      const slug = decodeURIComponent(req.url!.split('/').pop()!);
      if (status !== 200) return void res.writeHead(status).end();
      if (slug === 'atlantis') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `id-${slug}`, slug, name: slug }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    status = 200;
    lookups = 0;
  });

  // ttlMs -1: every answer is due for a refresh at once, so each call asks the directory.
  const resolver = (opts: { staleMs?: number; url?: string } = {}) =>
    createTenantResolver({ usersBaseUrl: () => opts.url ?? baseUrl, sign: async () => 'signed', ttlMs: -1, staleMs: opts.staleMs });

  const refusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GraphQLError);
    return (err as GraphQLError).extensions as { code: string; http?: { status: number; headers?: Map<string, string> } };
  };

  it('answers SERVICE_UNAVAILABLE with 503 and Retry-After for a school it never knew', async () => {
    status = 503;
    const ext = await refusal(resolver()('demo'));
    expect(ext).toMatchObject({ code: 'SERVICE_UNAVAILABLE', serviceName: 'users', retryAfterSeconds: 5, http: { status: 503 } });
    expect(ext.http?.headers?.get('retry-after')).toBe('5');
  });

  it('does the same when the directory does not listen at all', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    expect(await refusal(resolver({ url })('demo'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', http: { status: 503 } });
  });

  it('serves a school it knew while the directory is down, asking again only after a pause', async () => {
    const tenants = resolver();
    expect(await tenants('demo')).toEqual({ id: 'id-demo', slug: 'demo' });
    status = 500;
    lookups = 0;
    expect(await tenants('demo')).toEqual({ id: 'id-demo', slug: 'demo' });
    expect(await tenants('demo')).toEqual({ id: 'id-demo', slug: 'demo' });
    expect(lookups).toBe(1);
    // An unknown slug is not remembered as a school: no fallback for it.
    expect(await refusal(tenants('nile'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('stops serving a known school once it is older than staleMs', async () => {
    const tenants = resolver({ staleMs: 0 });
    await tenants('demo');
    status = 500;
    expect(await refusal(tenants('demo'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('still tells an unknown school from an unavailable directory', async () => {
    expect(await refusal(resolver()('atlantis'))).toMatchObject({ code: 'TENANT_NOT_FOUND', http: { status: 404 } });
  });
});
