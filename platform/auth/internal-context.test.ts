import { SignJWT } from 'jose';
import { createInternalContextSigner, createInternalContextVerifier, InternalContextError } from './internal-context';
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
});
