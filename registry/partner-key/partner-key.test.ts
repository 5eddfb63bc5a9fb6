import { sha256 } from '../../platform/secrets';
import { RegistryClient } from '../client';
import { startTestRegistry, type TestRegistry } from '../../testkit/registry';
import { PartnerKey } from './partner-key.entity';

/** Partner API keys: issued and revoked by operators, stored hashed, served to gateways as hashes. */
describe.each(['mysql', 'sqlite'] as const)('partner keys on %s', (dialect) => {
  let registry: TestRegistry;
  let gateway: RegistryClient;

  beforeAll(async () => {
    registry = await startTestRegistry(dialect);
    gateway = await registry.clientWith(['read'], 'gateway');
  });
  afterAll(() => registry.stop());

  it('issues a key bound to one school, shows it once and stores only its hash', async () => {
    const issued = await registry.admin.call('POST', '/v1/partner-keys', { partner: 'acme', school: 'demo', ratePerMinute: 30 });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual(expect.objectContaining({ partner: 'acme', school: 'demo', ratePerMinute: 30, revokedAt: null }));
    expect(issued.body.key).toMatch(/^mpk_[\w-]{43}$/);

    const rows = await registry.service.orm().em.fork().find(PartnerKey, { id: issued.body.id });
    expect(rows.map((r) => r.keyHash)).toEqual([sha256(issued.body.key)]);
    const listed = await registry.admin.call('GET', '/v1/partner-keys?partner=acme');
    expect(listed.body.keys).toEqual([expect.objectContaining({ id: issued.body.id, school: 'demo' })]);
    expect(JSON.stringify(listed.body)).not.toMatch(/mpk_|hash/i);

    // The gateway's view: hashes, with an ETag.
    const live = await gateway.call('GET', '/v1/partner-keys/live');
    expect(live.body.keys).toEqual(
      expect.arrayContaining([{ id: issued.body.id, hash: sha256(issued.body.key), partner: 'acme', school: 'demo', ratePerMinute: 30 }]),
    );
    expect(JSON.stringify(live.body)).not.toContain(issued.body.key);
    expect((await gateway.call('GET', '/v1/partner-keys/live', undefined, { 'if-none-match': live.headers.get('etag')! })).status).toBe(
      304,
    );
  });

  it('drops a revoked key from what gateways see (the ETag changes)', async () => {
    const issued = await registry.admin.call('POST', '/v1/partner-keys', { partner: 'beta', school: 'nile' });
    expect(issued.body.ratePerMinute).toBe(600);
    const before = await gateway.call('GET', '/v1/partner-keys/live');
    expect(before.body.keys.map((k: { id: string }) => k.id)).toContain(issued.body.id);

    expect((await registry.admin.call('DELETE', `/v1/partner-keys/${issued.body.id}`)).status).toBe(204);
    expect((await registry.admin.call('DELETE', `/v1/partner-keys/${issued.body.id}`)).status).toBe(204);
    const after = await gateway.call('GET', '/v1/partner-keys/live', undefined, { 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(after.body.keys.map((k: { id: string }) => k.id)).not.toContain(issued.body.id);
    expect((await registry.admin.call('DELETE', '/v1/partner-keys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('keeps issuing to admins and refuses bad input', async () => {
    const partner = await registry.clientWith(['partner'], 'acme');
    for (const client of [gateway, partner]) {
      expect((await client.call('POST', '/v1/partner-keys', { partner: 'acme', school: 'demo' })).status).toBe(403);
      expect((await client.call('GET', '/v1/partner-keys')).status).toBe(403);
    }
    expect((await partner.call('GET', '/v1/partner-keys/live')).status).toBe(403);
    expect((await new RegistryClient(registry.url, 'mpk_not-a-registry-token').call('GET', '/v1/partner-keys/live')).status).toBe(401);
    for (const body of [
      { partner: 'acme' },
      { partner: 'acme', school: 'Demo School' },
      { partner: 'acme', school: 'demo', ratePerMinute: 0 },
      { partner: 'a b', school: 'demo' },
    ]) {
      const res = await registry.admin.call('POST', '/v1/partner-keys', body);
      expect([res.status, res.body.errors?.[0]?.extensions?.code]).toEqual([400, 'BAD_USER_INPUT']);
    }
  });
});
