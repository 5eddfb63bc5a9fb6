import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createAccessTokenIssuer } from '../../platform/auth/access-token';
import { generatePrivateJwk, keySetFromJwks, publicJwk } from '../../platform/auth/keys';
import { createAccessTokenVerifier } from './access-token';

/** Access-token keys that cannot be fetched are the users service's outage, not the client's bad token. */
describe('access-token verification when the key set cannot be fetched', () => {
  const tenant = { id: 'school-1', slug: 'demo' };
  let status = 200;
  let jwks: string;
  let server: http.Server;
  let url: string;
  let issue: ReturnType<typeof createAccessTokenIssuer>;
  let forge: ReturnType<typeof createAccessTokenIssuer>;
  const claims = { userId: 'u1', schoolId: tenant.id, schoolSlug: 'demo', roles: ['STUDENT'], sessionId: 's1' };

  beforeAll(async () => {
    const key = await generatePrivateJwk();
    jwks = JSON.stringify({ keys: [publicJwk(key)] });
    issue = createAccessTokenIssuer(await keySetFromJwks({ keys: [key] }), 900);
    // Same kid, another key: only a signature check tells them apart.
    forge = createAccessTokenIssuer(await keySetFromJwks({ keys: [{ ...(await generatePrivateJwk()), kid: key.kid }] }), 900);
    server = http.createServer((_req, res) => {
      if (status !== 200) return void res.writeHead(status).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    status = 200;
  });

  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (err: unknown) => (err instanceof GraphQLError ? err.extensions.code : String(err)),
    );

  it('keeps verifying with the keys it last fetched when a refresh fails', async () => {
    // cacheMaxAgeMs 0: every verification refreshes the set first, as one does after 10 minutes.
    const verify = createAccessTokenVerifier(() => url, { cacheMaxAgeMs: 0 });
    const token = (await issue(claims)).token;
    await expect(verify(`Bearer ${token}`, tenant)).resolves.toMatchObject({ id: 'u1' });
    status = 503;
    await expect(verify(`Bearer ${token}`, tenant)).resolves.toMatchObject({ id: 'u1', roles: ['STUDENT'] });
    // Still judged: a forged token is refused.
    expect(await codeOf(verify(`Bearer ${(await forge(claims)).token}`, tenant))).toBe('UNAUTHENTICATED');
  });

  it('answers SERVICE_UNAVAILABLE (503, Retry-After) when it never had the keys', async () => {
    status = 503;
    const verify = createAccessTokenVerifier(() => url);
    const err = await verify(`Bearer ${(await issue(claims)).token}`, tenant).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphQLError);
    const ext = (err as GraphQLError).extensions as { code: string; http: { status: number; headers: Map<string, string> } };
    expect(ext.code).toBe('SERVICE_UNAVAILABLE');
    expect(ext.http.status).toBe(503);
    expect(ext.http.headers.get('retry-after')).toBe('5');
  });

  it('still refuses a malformed token without asking for keys', async () => {
    status = 503;
    const verify = createAccessTokenVerifier(() => url);
    expect(await codeOf(verify('Bearer a.b.c', tenant))).toBe('UNAUTHENTICATED');
  });
});
