import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { createHash } from 'node:crypto';
import {
  createInternalContextSigner,
  createInternalContextVerifier,
  InternalContextError,
  vouchedIdentities,
  vouchFor,
} from './internal-context';
import { generatePrivateJwk, keySetFromJwks, publicJwk } from './keys';

describe('internal context', () => {
  const ctx = {
    tenant: { id: 't1', slug: 'demo' },
    user: { id: 'u1', roles: ['TEACHER'], sessionId: 's1' },
    ip: '10.0.0.1',
    requestId: 'r1',
  };

  async function setup() {
    const jwk = await generatePrivateJwk();
    const keys = await keySetFromJwks({ keys: [jwk] });
    return { keys, sign: createInternalContextSigner(keys), verify: createInternalContextVerifier({ keys: [publicJwk(jwk)] }, 'users') };
  }

  it('round-trips tenant, user, roles, ip and request id', async () => {
    const { sign, verify } = await setup();
    expect(await verify(await sign(ctx, 'users'))).toEqual(ctx);
  });

  it('carries no user for anonymous calls', async () => {
    const { sign, verify } = await setup();
    expect(await verify(await sign({ tenant: ctx.tenant }, 'users'))).toEqual({
      tenant: ctx.tenant,
      user: undefined,
      ip: undefined,
      requestId: undefined,
    });
  });

  it('refuses a token for another subgraph, from another key, expired, or missing', async () => {
    const { sign, verify, keys } = await setup();
    const other = await setup();
    await expect(verify(await sign(ctx, 'courses'))).rejects.toBeInstanceOf(InternalContextError);
    await expect(verify(await other.sign(ctx, 'users'))).rejects.toBeInstanceOf(InternalContextError);
    await expect(verify(undefined)).rejects.toThrow('missing internal context');
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ tid: 't1', tslug: 'demo' })
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.active.kid, typ: 'internal+jwt' })
      .setIssuer('el-manassa/gateway')
      .setAudience('subgraph:users')
      .setSubject('anonymous')
      .setIssuedAt(now - 120)
      .setExpirationTime(now - 60)
      .sign(keys.active.key);
    await expect(verify(expired)).rejects.toThrow('invalid internal context');
  });

  // Checked by compact-jwt.ts (node:crypto) with jose's jwtVerify rules, maxTokenAge included.
  describe('claims, as jose judges them', () => {
    const claimsToken = async (keys: Awaited<ReturnType<typeof setup>>['keys'], times: { iat?: number; exp: number }) => {
      const jwt = new SignJWT({ tid: 't1', tslug: 'demo', roles: ['TEACHER'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: keys.active.kid, typ: 'internal+jwt' })
        .setIssuer('el-manassa/gateway')
        .setAudience('subgraph:users')
        .setSubject('u1')
        .setExpirationTime(times.exp);
      if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
      return jwt.sign(keys.active.key);
    };

    it("accepts a token jose's SignJWT made", async () => {
      const { verify, keys } = await setup();
      const now = Math.floor(Date.now() / 1000);
      expect(await verify(await claimsToken(keys, { iat: now, exp: now + 60 }))).toMatchObject({
        tenant: { id: 't1', slug: 'demo' },
        user: { id: 'u1', roles: ['TEACHER'] },
      });
    });

    it('refuses one issued over a minute ago, in the future, or without iat, whatever its exp', async () => {
      const { verify, keys } = await setup();
      const now = Math.floor(Date.now() / 1000);
      for (const times of [{ iat: now - 61, exp: now + 3600 }, { iat: now + 30, exp: now + 90 }, { exp: now + 60 }]) {
        await expect(verify(await claimsToken(keys, times))).rejects.toThrow('invalid internal context');
      }
    });
  });

  it('refuses a user access token presented as internal context (different typ and issuer)', async () => {
    const { verify, keys } = await setup();
    const token = await new SignJWT({ tid: 't1' })
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.active.kid, typ: 'at+jwt' })
      .setIssuer('el-manassa/users')
      .setAudience('subgraph:users')
      .setSubject('u1')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(keys.active.key);
    await expect(verify(token)).rejects.toBeInstanceOf(InternalContextError);
  });

  // Signed by node:crypto, verified by jose: the two must agree on the compact JWS to the byte.
  describe('tokens signed with node:crypto', () => {
    const b64 = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');
    const parts = (token: string) => token.split('.') as [string, string, string];

    it('carry the header and registered claims jose would set, and jose verifies them', async () => {
      const { sign, verify, keys } = await setup();
      const before = Math.floor(Date.now() / 1000);
      const token = await sign({ ...ctx, tenant: { ...ctx.tenant, timezone: 'Africa/Cairo' }, locale: 'ar' }, 'users');
      expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: keys.active.kid, typ: 'internal+jwt' });
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({
        iss: 'el-manassa/gateway',
        aud: 'subgraph:users',
        sub: 'u1',
        tid: 't1',
        ttz: 'Africa/Cairo',
        loc: 'ar',
      });
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims.iat).toBeGreaterThanOrEqual(before);
      expect(claims.exp).toBe(claims.iat! + 60);
      expect(await verify(token)).toEqual({ ...ctx, tenant: { ...ctx.tenant, timezone: 'Africa/Cairo' }, locale: 'ar' });
      expect(await sign(ctx, 'users')).not.toBe(await sign(ctx, 'users')); // a fresh jti each time
    });

    it('are refused once tampered with', async () => {
      const { sign, verify } = await setup();
      const [header, payload, signature] = parts(await sign(ctx, 'users'));
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = [
        // an admin's roles under the teacher's signature
        `${header}.${b64({ ...claims, roles: ['ADMIN'] })}.${signature}`,
        // another school
        `${header}.${b64({ ...claims, tid: 't2' })}.${signature}`,
        // one bit of the signature flipped
        `${header}.${payload}.${Buffer.from(Buffer.from(signature, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url')}`,
        // unsigned
        `${b64({ alg: 'none', typ: 'internal+jwt' })}.${payload}.`,
        // another typ
        `${b64({ alg: 'EdDSA', typ: 'at+jwt' })}.${payload}.${signature}`,
      ];
      for (const token of forged) await expect(verify(token)).rejects.toThrow('invalid internal context');
      await expect(verify(`${header}.${payload}.${signature}`)).resolves.toEqual(ctx);
    });
  });

  // A batch of admissions: one signed call context vouches for every identity in its body.
  describe('vouched identities', () => {
    const student = (id: string) => ({ tenant: ctx.tenant, user: { id, roles: ['STUDENT'] }, ip: '10.0.0.2', locale: 'ar' as const });
    const contexts = [student('s1'), ctx, student('s2')];

    it('are read back, in order, from a call whose verified context vouches for them', async () => {
      const { sign, verify } = await setup();
      const { identities, vouches } = vouchFor(contexts);
      const call = await verify(await sign({ tenant: ctx.tenant, requestId: 'batch-1', vouches }, 'users'));
      expect(call.vouches).toBe(vouches);
      expect(vouchedIdentities(call, identities)).toEqual(contexts);
    });

    it('are all refused when the body differs in any way from what the call vouches for', async () => {
      const { sign, verify } = await setup();
      const { identities, vouches } = vouchFor(contexts);
      const call = await verify(await sign({ tenant: ctx.tenant, vouches }, 'users'));
      const promoted = JSON.stringify({ ...JSON.parse(identities[0]), roles: ['SCHOOL_ADMIN'] });
      const otherSchool = JSON.stringify({ ...JSON.parse(identities[0]), tid: 't2' });
      for (const body of [
        [promoted, identities[1], identities[2]],
        [otherSchool, identities[1], identities[2]],
        [identities[1], identities[0], identities[2]],
        identities.slice(0, 2),
        [...identities, identities[0]],
        [],
      ]) {
        expect(() => vouchedIdentities(call, body)).toThrow(InternalContextError);
      }
      // A call that vouches for nobody vouches for no body, not even an empty one.
      const plain = await verify(await sign({ tenant: ctx.tenant }, 'users'));
      expect(() => vouchedIdentities(plain, [])).toThrow('the call vouches for no identities');
    });

    it('cannot be vouched for by changing the signed digest', async () => {
      const { sign, verify } = await setup();
      const [header, payload, signature] = (await sign({ tenant: ctx.tenant, vouches: vouchFor(contexts).vouches }, 'users')).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = vouchFor([{ ...ctx, user: { id: 'u1', roles: ['SCHOOL_ADMIN'] } }]).vouches;
      const token = `${header}.${Buffer.from(JSON.stringify({ ...claims, vch: forged })).toString('base64url')}.${signature}`;
      await expect(verify(token)).rejects.toThrow('invalid internal context');
    });

    it('refuses an identity that is not a JSON object, and never lets one vouch for others', async () => {
      const digest = (texts: string[]) => createHash('sha256').update(texts.join('\n')).digest('base64url');
      for (const bad of ['not json', '[1,2]', 'null']) {
        expect(() => vouchedIdentities({ vouches: digest([bad]) }, [bad])).toThrow(InternalContextError);
      }
      const vouching = JSON.stringify({ tid: 't1', tslug: 'demo', sub: 'u1', roles: ['TEACHER'], vch: 'x' });
      expect(vouchedIdentities({ vouches: digest([vouching]) }, [vouching])[0]).not.toHaveProperty('vouches');
    });
  });

  // The gateway reuses one token per identity and audience; subgraphs remember tokens that verified.
  describe('remembered tokens', () => {
    afterEach(() => jest.useRealTimers());

    it('answer the same context again, each caller its own copy', async () => {
      const { sign, verify } = await setup();
      const token = await sign(ctx, 'users');
      const first = await verify(token);
      first.user!.roles.push('SCHOOL_ADMIN');
      first.tenant!.id = 't2';
      expect(await verify(token)).toEqual(ctx);
    });

    it('are refused once expired, though they verified before', async () => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      const { sign, verify } = await setup();
      const token = await sign(ctx, 'users');
      await expect(verify(token)).resolves.toEqual(ctx);
      jest.setSystemTime(Date.now() + 59_000);
      await expect(verify(token)).resolves.toEqual(ctx);
      jest.setSystemTime(Date.now() + 2_000);
      await expect(verify(token)).rejects.toThrow('invalid internal context');
      await expect(verify(token)).rejects.toThrow('invalid internal context');
    });

    it('are never accepted for another audience, nor with a changed byte', async () => {
      const jwk = await generatePrivateJwk();
      const sign = createInternalContextSigner(await keySetFromJwks({ keys: [jwk] }));
      const users = createInternalContextVerifier({ keys: [publicJwk(jwk)] }, 'users');
      const courses = createInternalContextVerifier({ keys: [publicJwk(jwk)] }, 'courses');
      const forCourses = await sign(ctx, 'courses');
      await expect(courses(forCourses)).resolves.toEqual(ctx);
      await expect(users(forCourses)).rejects.toThrow('invalid internal context');
      const [header, payload, signature] = forCourses.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['SCHOOL_ADMIN'] })).toString('base64url')}.${signature}`;
      await expect(courses(forged)).rejects.toThrow('invalid internal context');
    });

    it('keep verifying correctly past the bound, and concurrently', async () => {
      const jwk = await generatePrivateJwk();
      const sign = createInternalContextSigner(await keySetFromJwks({ keys: [jwk] }));
      const verify = createInternalContextVerifier({ keys: [publicJwk(jwk)] }, 'users', 2);
      const contexts = ['u1', 'u2', 'u3', 'u4'].map((id) => ({ ...ctx, user: { ...ctx.user, id } }));
      const tokens = await Promise.all(contexts.map((c) => sign(c, 'users')));
      for (let round = 0; round < 2; round++) {
        expect(await Promise.all([...tokens, ...tokens].map((t) => verify(t)))).toEqual([...contexts, ...contexts]);
      }
    });
  });
});
