import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { createInternalContextSigner, createInternalContextVerifier, INTERNAL_CONTEXT_HEADER } from '../../platform/auth/internal-context';
import { keySetFromJwks } from '../../platform/auth/keys';
import { testKeys } from '../../testkit/keys';
import { EntityFetcher, type EntityFetcherOptions } from './entity-fetcher';
import { principalFor } from './principal';
import { SignedContexts } from './signed-contexts';

const QUERY =
  'query Live__users__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { displayName } } }';
const user = (id: string) => ({ __typename: 'User', id });

/**
 * A subgraph answering `_entities` for users, as the real one does (entity per representation,
 * an error at the index of one it cannot resolve): names by school (from the signed context),
 * so an answer given to one school's principal is recognisable in another's.
 */
async function startUsersStandIn() {
  const keys = await testKeys();
  const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal)));
  const verify = createInternalContextVerifier(JSON.parse(keys.internalPublic), 'users');
  const names = new Map<string, string>();
  const broken = new Set<string>();
  const received: Array<{ school?: string; ids: string[] }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      void verify(req.headers[INTERNAL_CONTEXT_HEADER] as string).then((ctx) => {
        const reps = (JSON.parse(body) as { variables: { representations: Array<{ id: string }> } }).variables.representations;
        const school = ctx.tenant?.slug;
        received.push({ school, ids: reps.map((r) => r.id) });
        const errors = reps.flatMap((r, i) => (broken.has(r.id) ? [{ message: `no ${r.id}`, path: ['_entities', i] }] : []));
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            data: { _entities: reps.map((r) => (broken.has(r.id) ? null : { displayName: `${names.get(r.id) ?? r.id}@${school}` })) },
            ...(errors.length ? { errors } : {}),
          }),
        );
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return { sign, names, broken, received, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('subscription entity fetcher: entities reused for a short time', () => {
  let standIn: Awaited<ReturnType<typeof startUsersStandIn>>;
  let clock = 1_000_000;
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const demo = { id: 'school-demo', slug: 'demo' };
  const nile = { id: 'school-nile', slug: 'nile' };
  const students = principalFor({ tenant: demo, user: { id: 's1', roles: ['STUDENT'], expiresAt: 0 }, ip: '127.0.0.1' }, 'role');
  const teachers = principalFor({ tenant: demo, user: { id: 't1', roles: ['TEACHER'], expiresAt: 0 }, ip: '127.0.0.1' }, 'role');
  const nileStudents = principalFor({ tenant: nile, user: { id: 's9', roles: ['STUDENT'], expiresAt: 0 }, ip: '127.0.0.1' }, 'role');

  beforeAll(async () => {
    standIn = await startUsersStandIn();
  });
  afterAll(async () => {
    agents.http.destroy();
    await standIn.close();
  });
  beforeEach(() => {
    standIn.received.length = 0;
    standIn.names.clear();
    standIn.broken.clear();
  });

  const fetcher = (opts: Partial<EntityFetcherOptions> = {}) => {
    const counts = { fetches: 0, hits: 0 };
    const source = new EntityFetcher({
      service: 'users',
      url: () => standIn.url,
      contexts: new SignedContexts(standIn.sign),
      agents,
      onFetch: () => counts.fetches++,
      onCacheHit: () => counts.hits++,
      entityTtlMs: 1000,
      now: () => clock,
      ...opts,
    });
    const entities = (principal = students, ...ids: string[]) =>
      source.process({
        request: { query: QUERY, variables: { representations: ids.map(user) } },
        context: { principal, requestId: 'r' },
      } as never) as Promise<GatewayGraphQLResponse>;
    return { counts, entities };
  };
  const names = (response: GatewayGraphQLResponse) =>
    (response.data as { _entities: Array<{ displayName: string } | null> })._entities.map((e) => e?.displayName ?? null);

  it('answers later events from the first fetch until the TTL has passed, counted from before that fetch', async () => {
    const { counts, entities } = fetcher();
    standIn.names.set('u1', 'Ahmed');
    expect(names(await entities(students, 'u1'))).toEqual(['Ahmed@demo']);
    standIn.names.set('u1', 'Ahmed Renamed');
    clock += 999;
    expect(names(await entities(students, 'u1'))).toEqual(['Ahmed@demo']);
    expect(counts).toEqual({ fetches: 1, hits: 1 });
    clock += 1;
    expect(names(await entities(students, 'u1'))).toEqual(['Ahmed Renamed@demo']);
    expect(counts).toEqual({ fetches: 2, hits: 1 });
  });

  it('gives every taker its own copy (the executor merges into what it is handed)', async () => {
    const { entities } = fetcher();
    const first = await entities(students, 'u1');
    (first.data as { _entities: Array<Record<string, unknown>> })._entities[0].displayName = 'changed by the executor';
    expect(names(await entities(students, 'u1'))).toEqual(['u1@demo']);
  });

  it('never shares an answer across schools or authorization scopes', async () => {
    const { counts, entities } = fetcher();
    expect(names(await entities(students, 'u1'))).toEqual(['u1@demo']);
    expect(names(await entities(nileStudents, 'u1'))).toEqual(['u1@nile']);
    expect(names(await entities(teachers, 'u1'))).toEqual(['u1@demo']);
    expect(counts).toEqual({ fetches: 3, hits: 0 });
    expect(standIn.received.map((r) => r.school)).toEqual(['demo', 'nile', 'demo']);
  });

  it('fetches only the representations it does not hold, and answers in the order asked', async () => {
    const { counts, entities } = fetcher();
    await entities(students, 'u1', 'u2');
    standIn.received.length = 0;
    expect(names(await entities(students, 'u3', 'u2', 'u1', 'u4'))).toEqual(['u3@demo', 'u2@demo', 'u1@demo', 'u4@demo']);
    expect(standIn.received.map((r) => r.ids)).toEqual([['u3', 'u4']]);
    expect(counts.hits).toBe(2);
  });

  it('shares a fetch in flight with requests made while it is out, and batches one turn into one request', async () => {
    const { counts, entities } = fetcher();
    const first = entities(students, 'u1');
    await new Promise((resolve) => setImmediate(resolve)); // the first fetch is sent
    const [a, b, c] = await Promise.all([first, entities(students, 'u1'), entities(students, 'u2', 'u1')]);
    expect([names(a), names(b), names(c)]).toEqual([['u1@demo'], ['u1@demo'], ['u2@demo', 'u1@demo']]);
    expect(standIn.received.map((r) => r.ids)).toEqual([['u1'], ['u2']]);
    expect(counts).toEqual({ fetches: 2, hits: 2 });
  });

  it('does not keep an entity answered with an error: its error stays at its own index, and the next event asks again', async () => {
    const { counts, entities } = fetcher();
    standIn.broken.add('gone');
    const answer = await entities(students, 'u1', 'gone');
    expect(names(answer)).toEqual(['u1@demo', null]);
    expect(answer.errors).toEqual([{ message: 'no gone', path: ['_entities', 1] }]);
    standIn.broken.clear();
    expect(names(await entities(students, 'gone', 'u1'))).toEqual(['gone@demo', 'u1@demo']);
    expect(standIn.received.map((r) => r.ids)).toEqual([['u1', 'gone'], ['gone']]);
    expect(counts.hits).toBe(1);
  });

  it('does not keep a failed fetch: the callers get the failure, the next event fetches again', async () => {
    const { counts, entities } = fetcher({ url: () => 'http://127.0.0.1:1/graphql' });
    await expect(entities(students, 'u1')).rejects.toThrow();
    await expect(entities(students, 'u1')).rejects.toThrow();
    expect(counts).toEqual({ fetches: 2, hits: 0 });
  });

  it('keeps at most maxEntities, dropping the oldest', async () => {
    const { counts, entities } = fetcher({ maxEntities: 2 });
    await entities(students, 'u1');
    await entities(students, 'u2');
    await entities(students, 'u3');
    await entities(students, 'u3', 'u2');
    expect(counts.hits).toBe(2);
    await entities(students, 'u1');
    expect(standIn.received.map((r) => r.ids)).toEqual([['u1'], ['u2'], ['u3'], ['u1']]);
  });

  it('with a TTL of 0 every event fetches its own', async () => {
    const { counts, entities } = fetcher({ entityTtlMs: 0 });
    await entities(students, 'u1');
    await entities(students, 'u1');
    expect(counts).toEqual({ fetches: 2, hits: 0 });
  });
});
