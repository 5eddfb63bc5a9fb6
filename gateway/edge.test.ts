import { randomUUID } from 'node:crypto';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../platform/auth/internal-context';
import { generatePrivateJwk, keySetFromJwks } from '../platform/auth/keys';
import { DEMO } from '../platform/demo';
import { codes, gql, request } from '../testkit/graphql-client';
import { startStack, type Stack } from '../testkit/stack';

/** What the edge does with bad requests, and how subgraphs refuse anyone but the gateway. */
describe('gateway edge', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('sqlite');
  });
  afterAll(() => stack.stop());

  const post = (body: string, headers: Record<string, string> = {}) =>
    request(stack.gatewayUrl, { headers: { 'content-type': 'application/json', 'x-tenant-id': 'demo', ...headers }, body });
  const stillUp = async () => expect((await stack.gql('{ school { slug } }', { tenant: 'demo' })).body.data.school.slug).toBe('demo');

  it.each([
    ['malformed JSON', () => post('{"query": "{ school { name } }"'), 400, 'BAD_REQUEST'],
    ['invalid GraphQL', () => post(JSON.stringify({ query: '{ school { name ' })), 400, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', () => post(JSON.stringify({ query: '{ school { nope } }' })), 400, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'an unknown tenant',
      () => post(JSON.stringify({ query: '{ school { name } }' }), { 'x-tenant-id': 'atlantis' }),
      404,
      'TENANT_NOT_FOUND',
    ],
    [
      'a malformed tenant',
      () => post(JSON.stringify({ query: '{ school { name } }' }), { 'x-tenant-id': '../../etc' }),
      404,
      'TENANT_NOT_FOUND',
    ],
    [
      'no tenant at all',
      () =>
        request(stack.gatewayUrl, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ school { name } }' }),
        }),
      400,
      'TENANT_REQUIRED',
    ],
    [
      'an oversized body',
      () => post(JSON.stringify({ query: `{ school { name } } # ${'x'.repeat(1_100_000)}` })),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a batched array',
      () => post(JSON.stringify([{ query: '{ school { name } }' }, { query: '{ school { slug } }' }])),
      400,
      'BAD_REQUEST',
    ],
    [
      'a subscription over HTTP',
      () => post(JSON.stringify({ query: 'subscription { liveSessionEvents(sessionId: "s") { id } }' })),
      400,
      'BAD_REQUEST',
    ],
    ['too many tokens', () => post(JSON.stringify({ query: `{ school { ${'name '.repeat(2100)} } }` })), 400, 'MAX_TOKENS_EXCEEDED'],
    [
      'a malformed Authorization header',
      () => post(JSON.stringify({ query: '{ me { id } }' }), { authorization: 'Basic abc' }),
      401,
      'UNAUTHENTICATED',
    ],
  ])('answers %s with a clear error and stays up', async (_name, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    const body = JSON.parse(res.text);
    expect(body.errors[0].extensions.code).toBe(code);
    expect(body.errors[0].message).toEqual(expect.any(String));
    expect(res.text).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack trace
    await stillUp();
  });

  it('refuses a text/plain POST (CSRF prevention)', async () => {
    const res = await request(stack.gatewayUrl, {
      headers: { 'content-type': 'text/plain', 'x-tenant-id': 'demo' },
      body: '{"query":"{ school { name } }"}',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/CSRF|preflight/i);
  });

  it('refuses too deep and too aliased operations before calling subgraphs', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: school { name }`).join(' ');
    expect(codes(await stack.gql(`{ ${aliases} }`, { tenant: 'demo' }))).toEqual(['MAX_ALIASES_EXCEEDED']);
    const deep =
      '{ me { children { children { children { children { children { children { children { children { children { children { children { id } } } } } } } } } } } } }';
    expect(codes(await stack.gql(deep, { tenant: 'demo' }))).toEqual(['MAX_DEPTH_EXCEEDED']);
  });

  it('serves /healthz, /readyz and Prometheus /metrics', async () => {
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    expect((await request(`${base}/healthz`, { method: 'GET' })).status).toBe(200);
    expect((await request(`${base}/readyz`, { method: 'GET' })).status).toBe(200);
    const metrics = await request(`${base}/metrics`, { method: 'GET' });
    expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*service="gateway"/);
    // The bad requests of the tests above were counted by the code their clients saw.
    expect(metrics.text).toMatch(/graphql_errors_total\{code="GRAPHQL_PARSE_FAILED",service="gateway"\} [1-9]/);
    expect((await request(`${stack.url('users')}/readyz`, { method: 'GET' })).status).toBe(200);
  });

  it('echoes a well-formed x-request-id and makes one up otherwise', async () => {
    const mine = await post(JSON.stringify({ query: '{ school { name } }' }), { 'x-request-id': 'req-123' });
    expect(mine.headers['x-request-id']).toBe('req-123');
    const made = await post(JSON.stringify({ query: '{ school { name } }' }), { 'x-request-id': 'bad id with spaces' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('a subgraph called directly', () => {
    const query = JSON.stringify({ query: '{ school { name } }' });
    const call = (headers: Record<string, string>) =>
      request(`${stack.url('users')}/graphql`, { headers: { 'content-type': 'application/json', ...headers }, body: query });
    const demo = { id: DEMO.schools.demo.id, slug: 'demo' };

    it('refuses a call without the signed context', async () => {
      const res = await call({ 'x-tenant-id': 'demo' });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a context signed by another key, for another subgraph, or garbage', async () => {
      const forger = createInternalContextSigner(await keySetFromJwks({ keys: [await generatePrivateJwk()] }));
      const real = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
      for (const token of [await forger({ tenant: demo }, 'users'), await real({ tenant: demo }, 'courses'), 'e30.e30.', randomUUID()]) {
        const res = await call({ [INTERNAL_CONTEXT_HEADER]: token });
        expect(res.status).toBe(401);
      }
      // The same request with a valid context is answered: the refusals are about the context only.
      const ok = await call({ [INTERNAL_CONTEXT_HEADER]: await real({ tenant: demo }, 'users') });
      expect(JSON.parse(ok.text).data.school.name).toBe(DEMO.schools.demo.name);
    });

    it('refuses the tenant lookup route without the signed context', async () => {
      const res = await request(`${stack.url('users')}/internal/tenants/demo`, { method: 'GET' });
      expect(res.status).toBe(401);
    });
  });

  it('keeps serving through 50 concurrent mixed good and bad requests', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? gql(stack.gatewayUrl, '{ school { slug } }', { tenant: 'demo' }) : post('{"broken'))),
    );
    expect(results.filter((r) => 'body' in r && r.body.data?.school?.slug === 'demo')).toHaveLength(25);
    await stillUp();
  });
});
