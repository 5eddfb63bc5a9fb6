import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { DEMO } from '../../platform/demo';
import type { RegistryClient } from '../../registry/client';
import { eventually } from '../../testkit/eventually';
import { codes, gql, request, type GqlResult } from '../../testkit/graphql-client';
import { startTestRegistry, type TestRegistry } from '../../testkit/registry';
import { uniqueName } from '../../testkit/services';
import { startStack, type Stack } from '../../testkit/stack';

const SUBGRAPHS = readdirSync('schema/subgraphs').map((file) => ({
  name: path.basename(file, '.graphql'),
  sdl: readFileSync(path.join('schema/subgraphs', file), 'utf8'),
  // Never called: the stack's gateway routes to its own subgraphs (SUBGRAPH_URLS).
  url: `http://127.0.0.1:9/${file}`,
}));
const USERS = SUBGRAPHS.find((s) => s.name === 'users')!.sdl;
const withoutField = (type: string, field: string) => [
  { name: 'users', sdl: USERS.replace(new RegExp(`(type ${type}\\b[\\s\\S]*?\\n)\\s*${field}: [^\\n]*\\n`), '$1') },
];
/** A published course of the demo school's seed. */
const MATH = 'Mathematics, Grade 8';
const CATALOG = 'query PartnerCatalog { school { slug name timezone } catalog(first: 10) { edges { node { title } } } }';

/**
 * Partners on the one endpoint with an API key from the registry: held to the partner contract,
 * limited per key, acting for their key's school only, their usage reported per client and their
 * operations protected from breaking changes. Gateway, users and courses on MariaDB, Redis and
 * RabbitMQ; the registry on MariaDB.
 */
describe('partner API keys', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'partner-keys-'));
  let registry: TestRegistry;
  let stack: Stack;
  let reader: RegistryClient;
  let ci: RegistryClient;
  let contractSdl: string;
  const keys: Record<string, { id: string; key: string }> = {};
  const asPartner = (key: string, query: string, headers: Record<string, string> = {}) =>
    gql(stack.gatewayUrl, query, { headers: { 'x-api-key': key, ...headers } });
  const issue = async (partner: string, school: string, ratePerMinute?: number) => {
    const res = await registry.admin.call('POST', '/v1/partner-keys', { partner, school, ratePerMinute });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, key: res.body.key as string };
  };

  beforeAll(async () => {
    registry = await startTestRegistry('mysql');
    ci = await registry.clientWith(['publish'], 'ci');
    reader = await registry.clientWith(['read'], 'gateway');
    expect((await ci.publish(SUBGRAPHS, { force: true })).status).toBe(201);
    contractSdl = (await reader.contract()).body;
    keys.acme = await issue('acme', 'demo');
    keys.slow = await issue('slowpoke', 'demo', 3);
    keys.nile = await issue('acme', 'nile');
    const token = (await registry.admin.createToken('gateway-poll', ['read'])).body.token;
    stack = await startStack(
      'mysql',
      {
        REGISTRY_URL: registry.url,
        REGISTRY_TOKEN: token,
        REGISTRY_POLL_INTERVAL_MS: '200',
        USAGE_FLUSH_INTERVAL_MS: '200',
        SUPERGRAPH_CACHE_PATH: path.join(dir, 'supergraph.graphql'),
        REDIS_KEY_PREFIX: `${uniqueName('partner')}:`,
      },
      { subgraphs: ['users', 'courses'] },
    );
  });
  afterAll(async () => {
    await stack?.stop();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the contract's fields to a key, anonymously for its school", async () => {
    const res = await asPartner(keys.acme.key, CATALOG);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.school).toEqual({ slug: 'demo', name: DEMO.schools.demo.name, timezone: 'Africa/Cairo' });
    expect(res.body.data.catalog.edges.map((e: { node: { title: string } }) => e.node.title)).toContain(MATH);
  });

  it('makes fields outside the contract not exist for a key, in the words of a schema without them, while a user reaches them', async () => {
    const outside = '{ courses(first: 5) { totalCount } }';
    const refused = await asPartner(keys.acme.key, outside);
    const expected = validate(buildSchema(contractSdl), parse(outside)).map((e) => e.message);
    expect(expected).toEqual(['Cannot query field "courses" on type "Query".']);
    expect([refused.status, codes(refused), refused.body.errors!.map((e) => e.message)]).toEqual([
      400,
      ['GRAPHQL_VALIDATION_FAILED'],
      expected,
    ]);
    expect(refused.body.data).toBeUndefined();
    // Nor on a type of the contract, nor a type outside it.
    expect(codes(await asPartner(keys.acme.key, '{ catalog { edges { node { status } } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await asPartner(keys.acme.key, '{ me { id } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await asPartner(keys.acme.key, 'mutation { logout }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const { accessToken } = await stack.login('teacher@demo.test');
    const user = await stack.gql(outside, { tenant: 'demo', token: accessToken });
    expect(user.body.errors).toBeUndefined();
    expect(user.body.data.courses.totalCount).toBeGreaterThan(0);

    // Sent by APQ hash alone (the text registered by a user): the resolved document is checked too.
    const sha256Hash = createHash('sha256').update(outside).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const register = await request(stack.gatewayUrl, {
      headers: { 'content-type': 'application/json', 'x-tenant-id': 'demo', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ query: outside, extensions }),
    });
    expect(register.status).toBe(200);
    const byHash = await request(stack.gatewayUrl, {
      headers: { 'content-type': 'application/json', 'x-api-key': keys.acme.key },
      body: JSON.stringify({ extensions }),
    });
    expect([
      byHash.status,
      JSON.parse(byHash.text).errors.map((e: { message: string; extensions: { code: string } }) => [e.extensions.code, e.message]),
    ]).toEqual([400, [['GRAPHQL_VALIDATION_FAILED', expected[0]]]]);

    // Introspection (allowed outside production) shows the contract only.
    const introspection = await asPartner(keys.acme.key, '{ __schema { queryType { fields { name } } } __type(name: "User") { name } }');
    expect(introspection.body.data.__schema.queryType.fields.map((f: { name: string }) => f.name).sort()).toEqual(['catalog', 'school']);
    expect(introspection.body.data.__type).toBeNull();
  });

  it("acts for the key's school only: another school's key reads that school, and naming a different school is refused", async () => {
    const nile = await asPartner(keys.nile.key, CATALOG);
    expect(nile.body.data.school.slug).toBe('nile');
    expect(nile.body.data.catalog.edges.map((e: { node: { title: string } }) => e.node.title)).not.toContain(MATH);
    for (const headers of [{ 'x-tenant-id': 'demo' }, { host: 'demo.localhost' }] as Array<Record<string, string>>) {
      const refused = await asPartner(keys.nile.key, CATALOG, headers);
      expect([refused.status, codes(refused), refused.body.data]).toEqual([403, ['FORBIDDEN'], undefined]);
    }
    // Its own school named explicitly is fine.
    expect((await asPartner(keys.nile.key, CATALOG, { 'x-tenant-id': 'nile' })).body.data.school.slug).toBe('nile');
    // A key does not mix with a user's token.
    const { accessToken } = await stack.login('teacher@demo.test');
    const both = await asPartner(keys.acme.key, CATALOG, { authorization: `Bearer ${accessToken}` });
    expect([both.status, codes(both)]).toEqual([400, ['BAD_REQUEST']]);
  });

  it('refuses an unknown key and, within a poll, a revoked one (UNAUTHENTICATED)', async () => {
    const unknown = await asPartner('mpk_unknown-key', CATALOG);
    expect([unknown.status, codes(unknown)]).toEqual([401, ['UNAUTHENTICATED']]);
    const arabic = await asPartner('mpk_unknown-key', CATALOG, { 'accept-language': 'ar' });
    expect(arabic.body.errors![0].message).toBe('مفتاح الواجهة البرمجية هذا غير معروف أو أُلغي');

    const fresh = await issue('initech', 'demo');
    await eventually(async () => expect((await asPartner(fresh.key, '{ school { slug } }')).body.data?.school.slug).toBe('demo'));
    expect((await registry.admin.call('DELETE', `/v1/partner-keys/${fresh.id}`)).status).toBe(204);
    await eventually(async () => expect(codes(await asPartner(fresh.key, '{ school { slug } }'))).toEqual(['UNAUTHENTICATED']));
  });

  it('limits each key to its own rate (RATE_LIMITED, Retry-After); another key is unaffected', async () => {
    const results: GqlResult[] = [];
    for (let i = 0; i < 4; i++) results.push(await asPartner(keys.slow.key, '{ school { slug } }'));
    expect(results.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    const limited = results[3];
    expect([limited.status, codes(limited)]).toEqual([429, ['RATE_LIMITED']]);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await asPartner(keys.acme.key, '{ school { slug } }');
    expect([other.status, other.body.data]).toEqual([200, { school: { slug: 'demo' } }]);
  });

  it("reports the partner's usage under its name, per client, and a check breaking its operation is refused", async () => {
    await asPartner(keys.acme.key, CATALOG);
    await eventually(async () => {
      const usage = await reader.call('GET', '/v1/usage?client=acme');
      expect(usage.body.clients).toEqual([
        expect.objectContaining({
          client: 'acme',
          operations: expect.arrayContaining([expect.objectContaining({ name: 'PartnerCatalog' })]),
        }),
      ]);
    });
    const all = await reader.call('GET', '/v1/usage');
    expect(all.body.clients.map((c: { client: string }) => c.client)).toEqual(expect.arrayContaining(['acme', 'unknown']));
    expect((await reader.call('GET', '/v1/usage/partners?partner=acme')).body.operations).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'PartnerCatalog', fields: expect.arrayContaining(['School.timezone']) })]),
    );

    // PartnerCatalog selects School.timezone: removing it is refused, approved or not.
    const breaking = await ci.check(withoutField('School', 'timezone'));
    expect(breaking.body.ok).toBe(false);
    expect(breaking.body.breaksPartners).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'School.timezone', partners: ['acme'] })]),
    );
    const owner = await registry.clientWith(['approve', 'publish'], 'owner');
    expect((await owner.publish(withoutField('School', 'timezone'), { approve: 'please', force: true })).status).toBe(409);
    // Invitation.acceptedAt: no partner (and no one in the window) selected it, so the check passes.
    const unused = await ci.check(withoutField('Invitation', 'acceptedAt'));
    expect(unused.body).toMatchObject({ ok: true, breaking: [], breaksPartners: [] });
  });
});
