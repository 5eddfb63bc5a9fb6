import { createPrivateKey, sign as cryptoSign, type JsonWebKey, type KeyObject } from 'node:crypto';
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

/**
 * The signature and claims are checked by hand (compact-jwt.ts, node:crypto): every token jose
 * would refuse is refused, each signed with the genuine key so that only the checked property is wrong.
 */
describe('access-token checks', () => {
  const tenant = { id: 'school-1', slug: 'demo' };
  let server: http.Server;
  let url: string;
  let fetches = 0;
  let kid: string;
  let privateKey: KeyObject;
  let issue: ReturnType<typeof createAccessTokenIssuer>;
  const nowSec = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    const key = await generatePrivateJwk();
    kid = key.kid!;
    privateKey = createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
    issue = createAccessTokenIssuer(await keySetFromJwks({ keys: [key] }), 900);
    const jwks = JSON.stringify({ keys: [publicJwk(key)] });
    server = http.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  /** A token signed with the genuine key, with any header and claims. */
  const sign = (header: Record<string, unknown>, claims: Record<string, unknown>) => {
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${cryptoSign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  };
  const goodHeader = () => ({ alg: 'EdDSA', kid, typ: 'at+jwt' });
  const goodClaims = () => ({
    sub: 'u1',
    tid: tenant.id,
    roles: ['STUDENT'],
    sid: 's1',
    iss: 'el-manassa/users',
    aud: 'el-manassa',
    iat: nowSec(),
    exp: nowSec() + 900,
  });
  const judge = (verify: ReturnType<typeof createAccessTokenVerifier>, token: string) =>
    verify(`Bearer ${token}`, tenant).then(
      (user) => `accepted ${user?.id}`,
      (err: unknown) => (err instanceof GraphQLError ? `${String(err.extensions.code)}: ${err.message}` : String(err)),
    );
  const invalid = 'UNAUTHENTICATED: Access token is invalid';

  it('accepts a token signed by hand exactly as the issuer signs, and the issuer’s own', async () => {
    const verify = createAccessTokenVerifier(() => url);
    expect(await judge(verify, sign(goodHeader(), goodClaims()))).toBe('accepted u1');
    expect(
      await judge(verify, (await issue({ userId: 'u2', schoolId: tenant.id, schoolSlug: 'demo', roles: [], sessionId: 's' })).token),
    ).toBe('accepted u2');
    // `application/at+jwt` is the same type; an audience list containing ours is ours.
    expect(await judge(verify, sign({ ...goodHeader(), typ: 'application/AT+JWT' }, { ...goodClaims(), aud: ['x', 'el-manassa'] }))).toBe(
      'accepted u1',
    );
  });

  it('refuses any algorithm but EdDSA, none included, even with a valid EdDSA signature attached', async () => {
    const verify = createAccessTokenVerifier(() => url);
    for (const alg of ['none', 'NONE', 'HS256', 'RS256', 'ES256', 'Ed25519', undefined]) {
      expect(await judge(verify, sign({ ...goodHeader(), alg }, goodClaims()))).toBe(invalid);
    }
    // `none` with an empty signature, as an attacker would send it.
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(goodClaims())}.`;
    expect(await judge(verify, unsigned)).toBe(invalid);
    // Our header with no signature at all.
    expect(await judge(verify, `${b64(goodHeader())}.${b64(goodClaims())}.`)).toBe(invalid);
  });

  it('refuses an unknown kid (after one refetch of the key set, not one per token) and a missing kid', async () => {
    const verify = createAccessTokenVerifier(() => url);
    expect(await judge(verify, sign(goodHeader(), goodClaims()))).toBe('accepted u1');
    const before = fetches;
    for (let i = 0; i < 3; i++) expect(await judge(verify, sign({ ...goodHeader(), kid: 'someone-else' }, goodClaims()))).toBe(invalid);
    expect(fetches - before).toBeLessThanOrEqual(1);
    const { kid: _kid, ...noKid } = goodHeader();
    expect(await judge(verify, sign(noKid, goodClaims()))).toBe(invalid);
  });

  it('refuses bad base64url and headers or claims that are not JSON objects', async () => {
    const verify = createAccessTokenVerifier(() => url);
    const [header, payload, signature] = sign(goodHeader(), goodClaims()).split('.');
    const sigOf = (input: string) => cryptoSign(null, Buffer.from(input), privateKey).toString('base64url');
    for (const token of [
      `${header}.${payload}.${signature}A`, // a length no base64 has
      `${header}.${payload}.${signature.slice(0, -1)}${signature.at(-1) === 'A' ? 'B' : 'A'}`, // other trailing bits
      `${header}A.${payload}.${signature}`,
      `${b64('EdDSA')}.${payload}.${sigOf(`${b64('EdDSA')}.${payload}`)}`,
      `${Buffer.from('{"alg":"EdDSA",').toString('base64url')}.${payload}.${signature}`,
      `${header}.${b64(['not', 'an', 'object'])}.${sigOf(`${header}.${b64(['not', 'an', 'object'])}`)}`,
      `${header}.${Buffer.from('not json').toString('base64url')}.${sigOf(`${header}.${Buffer.from('not json').toString('base64url')}`)}`,
    ]) {
      expect(await judge(verify, token)).toBe(invalid);
    }
  });

  it('refuses a token past its exp (as expired) and one not valid yet, at the second', async () => {
    const verify = createAccessTokenVerifier(() => url);
    expect(await judge(verify, sign(goodHeader(), { ...goodClaims(), exp: nowSec() - 1 }))).toBe('UNAUTHENTICATED: Access token expired');
    expect(await judge(verify, sign(goodHeader(), { ...goodClaims(), exp: nowSec() - 86_400 }))).toBe(
      'UNAUTHENTICATED: Access token expired',
    );
    expect(await judge(verify, sign(goodHeader(), { ...goodClaims(), nbf: nowSec() + 120 }))).toBe(invalid);
    expect(await judge(verify, sign(goodHeader(), { ...goodClaims(), nbf: nowSec() - 1 }))).toBe('accepted u1');
    // An expired token whose signature is wrong is invalid, not expired: nothing it claims is believed.
    const expired = sign(goodHeader(), { ...goodClaims(), exp: nowSec() - 1 }).split('.');
    expect(await judge(verify, `${expired[0]}.${expired[1]}.${sign(goodHeader(), goodClaims()).split('.')[2]}`)).toBe(invalid);
  });

  it('refuses another issuer, audience or type, a critical header, missing or mistyped claims', async () => {
    const verify = createAccessTokenVerifier(() => url);
    const { exp: _exp, ...noExp } = goodClaims();
    const { iat: _iat, ...noIat } = goodClaims();
    const { sub: _sub, ...noSub } = goodClaims();
    const { tid: _tid, ...noTid } = goodClaims();
    for (const token of [
      sign(goodHeader(), { ...goodClaims(), iss: 'someone-else' }),
      sign(goodHeader(), { ...goodClaims(), aud: 'someone-else' }),
      sign(goodHeader(), { ...goodClaims(), aud: ['someone-else'] }),
      sign({ ...goodHeader(), typ: 'JWT' }, goodClaims()), // an internal-context token's type
      sign({ alg: 'EdDSA', kid }, goodClaims()),
      sign({ ...goodHeader(), crit: ['exp'] }, goodClaims()),
      sign({ ...goodHeader(), b64: false, crit: ['b64'] }, goodClaims()),
      sign(goodHeader(), noExp),
      sign(goodHeader(), noIat),
      sign(goodHeader(), noSub),
      sign(goodHeader(), noTid),
      sign(goodHeader(), { ...goodClaims(), exp: String(nowSec() + 900) }),
      sign(goodHeader(), { ...goodClaims(), iat: 'yesterday' }),
      sign(goodHeader(), { ...goodClaims(), nbf: null }),
    ]) {
      expect(await judge(verify, token)).toBe(invalid);
    }
  });

  it('judges many tokens at once, each on its own', async () => {
    const verify = createAccessTokenVerifier(() => url);
    const tokens = Array.from({ length: 50 }, (_, i) =>
      i % 2 ? sign(goodHeader(), { ...goodClaims(), sub: `u${i}` }) : sign({ ...goodHeader(), alg: 'none' }, goodClaims()),
    );
    const results = await Promise.all(tokens.map((t) => judge(verify, t)));
    expect(results).toEqual(tokens.map((_, i) => (i % 2 ? `accepted u${i}` : invalid)));
  });

  it('keeps nothing for a token verified with remember: false (a WebSocket’s connection_init)', async () => {
    const verify = createAccessTokenVerifier(() => url);
    const token = `Bearer ${sign(goodHeader(), goodClaims())}`;
    const first = await verify(token, tenant, { remember: false });
    expect(first).toMatchObject({ id: 'u1', roles: ['STUDENT'], sessionId: 's1' });
    expect(await verify(token, tenant)).not.toBe(first); // verified again in full
  });
});
