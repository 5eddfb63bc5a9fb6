import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { eventually } from '../../testkit/eventually';
import { codes, request, type GqlResult } from '../../testkit/graphql-client';
import { startRedisServer, type OwnRedis } from '../../testkit/redis-server';
import { uniqueName } from '../../testkit/services';
import { startStack, type Stack } from '../../testkit/stack';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const SCHOOL = '{ school { name } }';

/**
 * Automatic persisted queries at the gateway (Apollo's protocol), cached in a Redis of this test's
 * own so that it can be stopped mid-test.
 */
describe('automatic persisted queries', () => {
  let redis: OwnRedis;
  let stack: Stack;
  const prefix = `${uniqueName('apq')}:`;

  beforeAll(async () => {
    redis = await startRedisServer({ persist: false });
    stack = await startStack('mysql', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix }, { subgraphs: ['users'] });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.close();
  });

  const headers = { 'content-type': 'application/json', 'accept-language': 'en', 'x-tenant-id': 'demo' };
  const parse = (res: { status: number; text: string; headers: GqlResult['headers'] }): GqlResult => ({
    status: res.status,
    headers: res.headers,
    body: JSON.parse(res.text),
  });
  const post = async (body: Record<string, unknown>, extra: Record<string, string> = {}) =>
    parse(await request(stack.gatewayUrl, { headers: { ...headers, ...extra }, body: JSON.stringify(body) }));
  const get = async (params: Record<string, unknown>) => {
    const search = new URLSearchParams(
      Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
    );
    // A non-simple header, as Apollo Server's CSRF prevention asks of GET requests.
    const res = await request(`${stack.gatewayUrl}?${search}`, { method: 'GET', headers: { ...headers, 'apollo-require-preflight': '1' } });
    return parse(res);
  };
  const apq = (query: string, hash = sha256(query)) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

  it('answers PERSISTED_QUERY_NOT_FOUND to an unknown hash, then runs it by hash alone once registered (POST and GET)', async () => {
    const query = '{ school { name slug } }';
    const unknown = await post({ extensions: apq(query) });
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(unknown.body.data).toBeUndefined();

    const registered = await post({ query, extensions: apq(query) });
    expect(registered.status).toBe(200);
    expect(registered.body.data).toEqual({ school: { name: expect.any(String), slug: 'demo' } });

    const byHash = await post({ extensions: apq(query) });
    expect(byHash.body).toEqual(registered.body);
    const byGet = await get({ extensions: apq(query) });
    expect(byGet.status).toBe(200);
    expect(byGet.body).toEqual(registered.body);
  });

  it('registers over GET too', async () => {
    const query = '{ school { slug } }';
    expect((await get({ query, extensions: apq(query) })).body.data).toEqual({ school: { slug: 'demo' } });
    expect((await get({ extensions: apq(query) })).body.data).toEqual({ school: { slug: 'demo' } });
  });

  it('refuses a hash that is not the query’s, and stores nothing under it', async () => {
    const wrong = sha256('something else');
    const res = await post({ query: SCHOOL, extensions: apq(SCHOOL, wrong) });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
    const ar = await post({ query: SCHOOL, extensions: apq(SCHOOL, wrong) }, { 'accept-language': 'ar' });
    expect(ar.body.errors?.[0].message).toBe('البصمة المرسلة (sha256Hash) لا تطابق نص العملية');
    expect(codes(await post({ extensions: apq(SCHOOL, wrong) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('refuses an unsupported protocol version', async () => {
    const res = await post({ query: SCHOOL, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(SCHOOL) } } });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(codes(res)).toEqual(['BAD_REQUEST']);
  });

  it('applies the operation limits to a document found by hash', async () => {
    // Planted straight into the store (as if registered before the limits were lowered): the
    // hash alone must not get it past the alias limit.
    const tooMany = `{ ${Array.from({ length: 16 }, (_, i) => `s${i}: school { slug }`).join(' ')} }`;
    const direct = new Redis(redis.url);
    try {
      await direct.set(`${prefix}apq:${sha256(tooMany)}`, tooMany);
    } finally {
      direct.disconnect();
    }
    const res = await post({ extensions: apq(tooMany) });
    expect(res.body.data).toBeUndefined();
    expect(codes(res)).toEqual(['MAX_ALIASES_EXCEEDED']);
  });

  it('keeps answering while Redis is down: hash alone is a miss, the full query works, never a 500', async () => {
    const query = '{ school { name } }';
    expect((await post({ query, extensions: apq(query) })).body.data?.school).toBeDefined();
    await redis.stop({ kill: true });
    try {
      const miss = await post({ extensions: apq(query) });
      expect(miss.status).toBe(200);
      expect(codes(miss)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
      const full = await post({ query, extensions: apq(query) });
      expect(full.status).toBe(200);
      expect(full.body.errors).toBeUndefined();
      expect(full.body.data?.school).toBeDefined();
    } finally {
      await redis.start();
    }
    // Back: registrations are kept again (this Redis restarted empty).
    await eventually(async () => {
      await post({ query, extensions: apq(query) });
      expect((await post({ extensions: apq(query) })).body.data?.school).toBeDefined();
    });
  });
});
