import { readFileSync } from 'node:fs';
import { sha256 } from '../../platform/secrets';
import { RegistryClient } from '../client';
import { startTestRegistry, type TestRegistry } from '../../testkit/registry';
import { ApiToken } from './api-token.entity';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');

/** Scoped tokens, stored hashed and revocable; a partner token reaches its contract and nothing else. */
describe.each(['mysql', 'sqlite'] as const)('registry tokens on %s', (dialect) => {
  let registry: TestRegistry;
  let partner: RegistryClient;
  let partnerToken: string;

  beforeAll(async () => {
    registry = await startTestRegistry(dialect);
    const ci = await registry.clientWith(['publish']);
    // Nothing serves that URL: forced past the served-SDL check.
    expect((await ci.publish([{ name: 'users', sdl: USERS, url: 'http://users:4001/graphql' }], { force: true })).status).toBe(201);
    const created = await registry.admin.createToken('acme', ['partner']);
    expect(created.status).toBe(201);
    partnerToken = created.body.token;
    partner = new RegistryClient(registry.url, partnerToken);
  });
  afterAll(() => registry.stop());

  it('lets a partner token read the partner contract (with ETag) and nothing else', async () => {
    const contract = await partner.contract();
    expect(contract.status).toBe(200);
    expect(contract.body).toMatch(/^type School \{/m);
    expect(contract.body).not.toMatch(/type User\b|type Mutation\b/);
    const etag = contract.headers.get('etag')!;
    expect(etag).toBe(`"${sha256(contract.body)}"`);
    expect((await partner.contract(etag)).status).toBe(304);

    const refused = [
      ['GET', '/v1/supergraph'],
      ['GET', '/v1/versions'],
      ['GET', '/v1/versions/1'],
      ['GET', '/v1/versions/1/contract'],
      ['GET', '/v1/subgraphs'],
      ['GET', '/v1/subgraphs/users'],
      ['GET', '/v1/approvals'],
      ['GET', '/v1/tokens'],
      ['POST', '/v1/check', { subgraphs: [{ name: 'users', sdl: USERS }] }],
      ['POST', '/v1/publish', { subgraphs: [{ name: 'users', sdl: USERS }] }],
      ['POST', '/v1/approvals', { subgraphs: [{ name: 'users', sdl: USERS }], reason: 'mine' }],
      ['POST', '/v1/usage', { operations: [] }],
      ['POST', '/v1/tokens', { name: 'mine', scopes: ['admin'] }],
    ] as const;
    for (const [method, path, body] of refused) {
      const res = await partner.call(method, path, body);
      expect({ method, path, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({
        method,
        path,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
  });

  it('stores only the hash of a token, and a revoked or unknown token is refused', async () => {
    const rows = await registry.service.orm().em.fork().find(ApiToken, { name: 'acme' });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(sha256(partnerToken));
    expect(JSON.stringify(rows)).not.toContain(partnerToken);
    expect((await registry.admin.call('GET', '/v1/tokens')).body.tokens).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: rows[0].id, name: 'acme', scopes: ['partner'], revokedAt: null })]),
    );
    expect(JSON.stringify((await registry.admin.call('GET', '/v1/tokens')).body)).not.toMatch(/tokenHash|mreg_/);

    expect((await registry.admin.call('DELETE', `/v1/tokens/${rows[0].id}`)).status).toBe(204);
    const revoked = await partner.call('GET', '/v1/contracts/partner');
    expect([revoked.status, revoked.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await new RegistryClient(registry.url, 'mreg_not-a-token').contract()).status).toBe(401);
    expect((await new RegistryClient(registry.url, '').call('GET', '/v1/versions')).status).toBe(401);
  });

  it('keeps token management to admins and a partner token to the partner scope', async () => {
    const ci = await registry.clientWith(['publish', 'read']);
    expect((await ci.createToken('x', ['read'])).status).toBe(403);
    expect((await registry.admin.createToken('acme2', ['partner', 'read'])).status).toBe(400);
    // admin implies every scope but partner: a partner is an identity, not a permission.
    expect((await registry.admin.call('GET', '/v1/versions')).status).toBe(200);
    expect((await registry.admin.call('GET', '/v1/webhooks')).status).toBe(403);
  });
});
