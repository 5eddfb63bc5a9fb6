import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import { createAccessTokenIssuer } from '../../platform/auth/access-token';
import { generatePrivateJwk, keySetFromJwks, publicJwk } from '../../platform/auth/keys';
import { createMemoryBus } from '../../platform/bus/memory-bus';
import { createLogger } from '../../platform/logger';
import { createLimiter } from '../../platform/rate-limit';
import { Topics } from '../../platform/transport';
import { eventually } from '../../testkit/eventually';
import { createAccessTokenVerifier } from './access-token';
import { createContextFactory } from './context';
import { trackRevokedSessions } from './revoked-sessions';

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

/**
 * Verified tokens are remembered by their exact string: what is remembered must never let through
 * a token the full check would refuse (expired, another school's, tampered with), and a session
 * revoked after its token was remembered is refused on its next request.
 */
describe('the verified-token cache', () => {
  const tenant = { id: 'school-1', slug: 'demo' };
  const other = { id: 'school-2', slug: 'other' };
  const claims = { userId: 'u1', schoolId: tenant.id, schoolSlug: 'demo', roles: ['TEACHER'], sessionId: 's1' };
  let server: http.Server;
  let url: string;
  let issue: ReturnType<typeof createAccessTokenIssuer>;
  let issueShort: ReturnType<typeof createAccessTokenIssuer>;

  beforeAll(async () => {
    const key = await generatePrivateJwk();
    const jwks = JSON.stringify({ keys: [publicJwk(key)] });
    const keySet = await keySetFromJwks({ keys: [key] });
    issue = createAccessTokenIssuer(keySet, 900);
    issueShort = createAccessTokenIssuer(keySet, 60);
    server = http.createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (err: unknown) => (err instanceof GraphQLError ? `${String(err.extensions.code)}: ${err.message}` : String(err)),
    );

  it('answers a token it verified before from memory, the same user every time', async () => {
    const verify = createAccessTokenVerifier(() => url);
    const token = (await issue(claims)).token;
    const first = await verify(`Bearer ${token}`, tenant);
    expect(first).toMatchObject({ id: 'u1', roles: ['TEACHER'], sessionId: 's1' });
    expect(await verify(`Bearer ${token}`, tenant)).toBe(first);
    // Shared between requests, so nobody can change it for the next one.
    expect(Object.isFrozen(first) && Object.isFrozen(first!.roles)).toBe(true);
  });

  it('never accepts a remembered token past its expiry', async () => {
    let clock = Date.now();
    const verify = createAccessTokenVerifier(() => url, { now: () => clock });
    const { token, expiresAt } = await issueShort(claims);
    await expect(verify(`Bearer ${token}`, tenant)).resolves.toMatchObject({ id: 'u1' });
    clock = expiresAt.getTime() - 1000;
    await expect(verify(`Bearer ${token}`, tenant)).resolves.toMatchObject({ id: 'u1' });
    clock = expiresAt.getTime();
    expect(await refusal(verify(`Bearer ${token}`, tenant))).toBe('UNAUTHENTICATED: Access token expired');
    clock = expiresAt.getTime() + 3_600_000;
    expect(await refusal(verify(`Bearer ${token}`, tenant))).toBe('UNAUTHENTICATED: Access token expired');
  });

  it('never accepts a remembered token for another school, whichever school asked first', async () => {
    const verify = createAccessTokenVerifier(() => url);
    const token = (await issue(claims)).token;
    expect(await refusal(verify(`Bearer ${token}`, other))).toBe('UNAUTHENTICATED: Access token belongs to another school');
    await expect(verify(`Bearer ${token}`, tenant)).resolves.toMatchObject({ id: 'u1' });
    expect(await refusal(verify(`Bearer ${token}`, other))).toBe('UNAUTHENTICATED: Access token belongs to another school');
    await expect(verify(`Bearer ${token}`, tenant)).resolves.toMatchObject({ id: 'u1' });
  });

  it('never accepts a remembered token tampered with, in its claims or its signature', async () => {
    const verify = createAccessTokenVerifier(() => url);
    const token = (await issue(claims)).token;
    await expect(verify(`Bearer ${token}`, tenant)).resolves.toMatchObject({ id: 'u1' });
    const [header, payload, signature] = token.split('.');
    const claimsOf = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const raised = Buffer.from(JSON.stringify({ ...claimsOf, roles: ['ADMIN'] })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    for (const tampered of [`${header}.${raised}.${signature}`, `${header}.${payload}.${flipped}`, `${header}.${payload}.`]) {
      // Concurrently with the genuine token, which stays accepted.
      const [bad, good] = await Promise.all([refusal(verify(`Bearer ${tampered}`, tenant)), verify(`Bearer ${token}`, tenant)]);
      expect(bad).toBe('UNAUTHENTICATED: Access token is invalid');
      expect(good).toMatchObject({ id: 'u1', roles: ['TEACHER'] });
    }
  });

  it('keeps at most maxVerifiedTokens, dropping the least recently used', async () => {
    const verify = createAccessTokenVerifier(() => url, { maxVerifiedTokens: 2 });
    const [a, b, c] = await Promise.all([1, 2, 3].map(async (n) => `Bearer ${(await issue({ ...claims, sessionId: `s${n}` })).token}`));
    const userA = await verify(a, tenant);
    const userB = await verify(b, tenant);
    expect(await verify(a, tenant)).toBe(userA); // a is now the most recently used
    await verify(c, tenant); // b goes
    expect(await verify(a, tenant)).toBe(userA);
    const userB2 = await verify(b, tenant);
    expect(userB2).not.toBe(userB); // verified again in full
    expect(userB2).toEqual(userB);
  });

  it('remembers nothing with maxVerifiedTokens 0', async () => {
    const verify = createAccessTokenVerifier(() => url, { maxVerifiedTokens: 0 });
    const token = `Bearer ${(await issue(claims)).token}`;
    expect(await verify(token, tenant)).not.toBe(await verify(token, tenant));
  });

  it('refuses a remembered token once its session is revoked (the edge asks on every request)', async () => {
    const bus = createMemoryBus();
    const revokedSessions = trackRevokedSessions({ bus, load: async () => [], logger: createLogger('test'), startWaitMs: 5000 });
    await revokedSessions.start();
    const contextFor = createContextFactory({
      tenants: async () => tenant,
      verifyAccessToken: createAccessTokenVerifier(() => url),
      tenantDomains: [],
      limits: {
        perIp: createLimiter({ name: 'ip', points: 1000, duration: 60 }),
        perUser: createLimiter({ name: 'user', points: 1000, duration: 60 }),
      },
      revokedSessions,
    });
    const token = (await issue(claims)).token;
    const req = {
      ip: '127.0.0.1',
      headers: { 'x-tenant-id': 'demo' },
      header: (name: string) => (name === 'authorization' ? `Bearer ${token}` : undefined),
    };
    const ask = () => refusal(contextFor(req as unknown as Request));
    expect(await ask()).toBe('accepted');
    expect(await ask()).toBe('accepted'); // from memory now
    await bus.publish(Topics.revokedSessions, { sessionId: 's1', schoolId: tenant.id, at: new Date().toISOString() });
    await eventually(async () => expect(await ask()).toBe('UNAUTHENTICATED: Session has ended; sign in again'));
    expect(await ask()).toBe('UNAUTHENTICATED: Session has ended; sign in again');
    await revokedSessions.stop();
  });
});
