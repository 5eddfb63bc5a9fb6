import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../../testkit/eventually';
import { codes, request, type GqlResult } from '../../testkit/graphql-client';
import { runSchemaCli, startTestRegistry, type TestRegistry } from '../../testkit/registry';
import { startStack, type Stack } from '../../testkit/stack';
import type { RegistryClient } from '../../registry/client';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const manifest = (...bodies: string[]) => ({
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: bodies.map((body, i) => ({ id: sha256(body), name: `Op${i}`, type: 'query', body })),
});

const SCHOOL = 'query School { school { name slug } }';
const SLUG = 'query Slug { school { slug } }';
const LATER = 'query Later { school { name } }';

/**
 * Trusted documents end to end: an app's build publishes its operations to the registry (CLI and
 * API, validated against the current API schema), the gateway loads them, and a client marked
 * trusted-only (TRUSTED_ONLY_CLIENTS=web) can send only those, in full or by hash alone; another
 * client keeps full queries and APQ (in-process here: the embedded stack has no Redis).
 */
describe('trusted documents', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trusted-'));
  let registry: TestRegistry;
  let ci: RegistryClient;
  let stack: Stack;

  beforeAll(async () => {
    registry = await startTestRegistry('mysql');
    ci = await registry.clientWith(['publish'], 'web-build');
    // The stack points the gateway at the real users URL (SUBGRAPH_URLS); this one is never called.
    const first = await ci.publish([{ name: 'users', sdl: USERS, url: 'http://127.0.0.1:9/graphql' }], { force: true });
    expect(first.status).toBe(201);
    const reader = await registry.admin.createToken('gateway', ['read']);
    const file = path.join(dir, 'web-1.0.0.json');
    writeFileSync(file, JSON.stringify(manifest(SCHOOL, SLUG)));
    const cli = await runSchemaCli(['persisted', 'publish', '--client', 'web', '--version', '1.0.0', file], {
      REGISTRY_URL: registry.url,
      REGISTRY_TOKEN: (await registry.admin.createToken('cli', ['publish'])).body.token,
    });
    expect(cli).toMatchObject({ code: 0, stdout: expect.stringContaining('2 operations of web@1.0.0 registered') });
    stack = await startStack(
      'sqlite',
      {
        REGISTRY_URL: registry.url,
        REGISTRY_TOKEN: reader.body.token,
        REGISTRY_POLL_INTERVAL_MS: '200',
        SUPERGRAPH_CACHE_PATH: path.join(dir, 'supergraph.graphql'),
        TRUSTED_ONLY_CLIENTS: 'web,android',
      },
      { subgraphs: ['users'] },
    );
  });
  afterAll(async () => {
    await stack?.stop();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const parse = (res: { status: number; text: string; headers: GqlResult['headers'] }): GqlResult => ({
    status: res.status,
    headers: res.headers,
    body: JSON.parse(res.text),
  });
  const headersOf = (client?: string, extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    'accept-language': 'en',
    'x-tenant-id': 'demo',
    ...(client ? { 'apollographql-client-name': client, 'apollographql-client-version': '1.0.0' } : {}),
    ...extra,
  });
  const post = async (client: string | undefined, body: unknown, extra: Record<string, string> = {}) =>
    parse(await request(stack.gatewayUrl, { headers: headersOf(client, extra), body: JSON.stringify(body) }));
  const byHash = (query: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });

  describe('the registry', () => {
    it('refuses a manifest whose operations do not validate against the API schema, or whose ids are not their hashes, and stores none of it', async () => {
      const bad = manifest(SCHOOL, '{ school { nope } }', 'query { school {');
      bad.operations[0].id = sha256('something else');
      const res = await ci.publishPersisted('web', '2.0.0', bad);
      expect(res.status).toBe(422);
      expect(res.body.problems).toEqual([
        { id: sha256('something else'), name: 'Op0', problems: ['id is not the SHA-256 of the body'] },
        { id: sha256('{ school { nope } }'), name: 'Op1', problems: [expect.stringContaining('Cannot query field "nope"')] },
        { id: sha256('query { school {'), name: 'Op2', problems: [expect.stringContaining('Syntax Error')] },
      ]);
      const list = await registry.admin.persisted('web');
      expect(list.body.operations.map((op) => op.id).sort()).toEqual([sha256(SCHOOL), sha256(SLUG)].sort());
    });

    it('reports the refusal through the CLI with exit code 1', async () => {
      const file = path.join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify(manifest('{ school { nope } }')));
      const cli = await runSchemaCli(['persisted', 'publish', '--client', 'web', '--version', '9', file], {
        REGISTRY_URL: registry.url,
        REGISTRY_TOKEN: (await registry.admin.createToken('cli-bad', ['publish'])).body.token,
      });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain('Cannot query field "nope"');
    });

    it('asks for the publish scope to publish and a valid manifest and client name', async () => {
      const reader = await registry.clientWith(['read']);
      expect((await reader.publishPersisted('web', '3.0.0', manifest(SCHOOL))).status).toBe(403);
      expect((await ci.publishPersisted('web', '3.0.0', { format: 'something', operations: [] })).status).toBe(400);
      expect((await ci.publishPersisted('we b', '3.0.0', manifest(SCHOOL))).status).toBe(400);
    });
  });

  describe('a trusted-only client', () => {
    it('runs a registered operation by hash alone (POST and GET) and in full', async () => {
      const hash = await post('web', byHash(SCHOOL));
      expect(hash.status).toBe(200);
      expect(hash.body).toEqual({ data: { school: { name: expect.any(String), slug: 'demo' } } });
      const search = new URLSearchParams({ extensions: JSON.stringify(byHash(SLUG).extensions) });
      const get = parse(
        await request(`${stack.gatewayUrl}?${search}`, { method: 'GET', headers: headersOf('web', { 'apollo-require-preflight': '1' }) }),
      );
      expect(get.body).toEqual({ data: { school: { slug: 'demo' } } });
      expect((await post('web', { query: SLUG })).body).toEqual({ data: { school: { slug: 'demo' } } });
    });

    it('cannot send an unregistered operation, in full, by an unknown hash or in a batch', async () => {
      for (const body of [
        { query: LATER },
        { query: LATER, ...byHash(LATER) },
        byHash(LATER),
        { extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } },
        {},
        [{ query: SCHOOL }],
      ]) {
        const res = await post('web', body);
        expect(res.status).toBe(400);
        expect(res.body.data).toBeUndefined();
        expect(codes(res)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
      }
      const get = await request(`${stack.gatewayUrl}?${new URLSearchParams({ query: LATER })}`, {
        method: 'GET',
        headers: headersOf('android', { 'apollo-require-preflight': '1' }),
      });
      expect(codes(parse(get))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
      const ar = await post('web', { query: LATER }, { 'accept-language': 'ar' });
      expect(ar.body.errors?.[0].message).toBe('لا يمكن لهذا التطبيق إرسال إلا العمليات التي سجَّلها');
    });

    it('cannot send another client’s registered operations (android has no list)', async () => {
      expect(codes(await post('android', byHash(SCHOOL)))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    });

    it('gets the operations of a newly published app version at the gateway’s next poll, older ones still accepted', async () => {
      expect((await ci.publishPersisted('web', '1.1.0', manifest(LATER))).status).toBe(201);
      await eventually(async () => expect((await post('web', byHash(LATER))).body.data).toEqual({ school: { name: expect.any(String) } }));
      expect((await post('web', byHash(SCHOOL))).status).toBe(200);
    });
  });

  describe('the trusted-only flag in the registry', () => {
    const cli = async (args: string[], scopes = ['admin']) =>
      runSchemaCli(['persisted', ...args], {
        REGISTRY_URL: registry.url,
        REGISTRY_TOKEN: (await registry.admin.createToken(`cli-${args[0]}-${Date.now()}`, scopes)).body.token,
      });

    it('is set by an operator (admin) through the API and the CLI, and read with the scope gateways hold', async () => {
      const reader = await registry.clientWith(['read']);
      expect((await reader.setTrustedOnly('kiosk', true)).status).toBe(403);
      expect((await ci.setTrustedOnly('kiosk', true)).status).toBe(403);
      expect((await registry.admin.setTrustedOnly('kio sk', true)).status).toBe(400);
      expect((await registry.admin.call('PUT', '/v1/persisted/kiosk', { trustedOnly: 'yes' })).status).toBe(400);
      expect((await reader.persisted('kiosk')).body).toEqual({ client: 'kiosk', trustedOnly: false, operations: [] });

      const on = await cli(['trusted-only', 'on', '--client', 'kiosk']);
      expect(on).toMatchObject({ code: 0, stdout: expect.stringContaining('kiosk is trusted-only') });
      expect((await reader.persisted('kiosk')).body.trustedOnly).toBe(true);
      // Marked before it published anything: a client with settings and no operations.
      const listed = await reader.persistedClients();
      expect(listed.body.clients).toEqual(
        expect.arrayContaining([
          { client: 'kiosk', trustedOnly: true, operations: 0 },
          { client: 'web', trustedOnly: false, operations: expect.any(Number) },
        ]),
      );
      expect((await reader.persistedClients({ trustedOnly: true })).body.clients.map((c) => c.client)).toContain('kiosk');
      expect((await cli(['list'], ['read'])).stdout).toMatch(/kiosk\t0 operations\ttrusted-only/);

      expect(await cli(['trusted-only', 'off', '--client', 'kiosk'])).toMatchObject({
        code: 0,
        stdout: 'kiosk is no longer trusted-only\n',
      });
      expect((await reader.persisted('kiosk')).body.trustedOnly).toBe(false);
      expect((await reader.persistedClients({ trustedOnly: true })).body.clients.map((c) => c.client)).not.toContain('kiosk');
      // A publish token may not lift the flag; a bad command is a usage error.
      expect((await cli(['trusted-only', 'off', '--client', 'kiosk'], ['publish'])).code).toBe(2);
      expect((await cli(['trusted-only', 'maybe', '--client', 'kiosk'])).code).toBe(2);
    });

    it('holds a client the registry flags to its list at the gateway’s next poll, and frees it when lifted', async () => {
      const query = 'query Ios { school { slug } }';
      // Not in TRUSTED_ONLY_CLIENTS: open until flagged.
      expect((await post('ios', { query })).body.data).toEqual({ school: { slug: 'demo' } });
      expect((await ci.publishPersisted('ios', '5.0.0', manifest(SCHOOL))).status).toBe(201);
      expect((await registry.admin.setTrustedOnly('ios', true)).status).toBe(200);
      await eventually(async () => expect(codes(await post('ios', { query }))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']));
      expect((await post('ios', byHash(SCHOOL))).body.data).toEqual({ school: { name: expect.any(String), slug: 'demo' } });
      // The env list still applies alongside (union): web stays trusted-only though the registry never flagged it.
      expect(codes(await post('web', { query }))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);

      expect((await registry.admin.setTrustedOnly('ios', false)).status).toBe(200);
      await eventually(async () => expect((await post('ios', { query })).body.data).toEqual({ school: { slug: 'demo' } }));
      // Flagging web off in the registry does not lift the gateway's own setting.
      expect((await registry.admin.setTrustedOnly('web', false)).status).toBe(200);
      expect(codes(await post('web', { query }))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    });

    it('accepts a registered operation by documentId over HTTP too', async () => {
      expect((await post('web', { documentId: `sha256:${sha256(SLUG)}` })).body).toEqual({ data: { school: { slug: 'demo' } } });
      expect(codes(await post('web', { documentId: `sha256:${sha256(LATER + ' ')}` }))).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    });
  });

  describe('a client not marked trusted-only', () => {
    it.each([['ops-dashboard'], [undefined]])('keeps sending full queries and APQ (%s)', async (client) => {
      const query = `query Any${client ? 'Named' : ''} { school { slug name } }`;
      expect((await post(client, { query })).body.data).toEqual({ school: { slug: 'demo', name: expect.any(String) } });
      expect(codes(await post(client, byHash(query)))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      expect((await post(client, { query, ...byHash(query) })).body.data?.school.slug).toBe('demo');
      expect((await post(client, byHash(query))).body.data?.school.slug).toBe('demo');
    });
  });
});
