import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLResponse, GatewayInterface } from '@apollo/server-gateway-interface';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, type DirectiveNode, type ObjectTypeDefinitionNode } from 'graphql';
import { Registry } from 'prom-client';
import { createMemoryBroker } from '../../platform/broker/memory-broker';
import type { MessageBroker } from '../../platform/broker/message-broker';
import { createLogger } from '../../platform/logger';
import { eventually } from '../../testkit/eventually';
import type { GatewayContext } from '../edge/context';
import { clientCacheControl } from './client-cache-control';
import { createGatewayCache, type GatewayCache } from './gateway-cache';
import { INVALIDATING_EVENTS, invalidatedTypes } from './invalidation';
import { DEFAULT_CACHE_POLICY, KEY_FIELDS } from './policy';
import { createMemoryStore } from './store';

/**
 * The cache and the deduplication in front of a fake subgraph whose answers the test controls:
 * what is shared with whom, what an event or a mutation ends, and that nobody is handed an
 * answer their own request would not have got.
 */
const SDL = `
  type Query { me: User, user(id: ID!): User, course(id: ID!): Course, secret: String }
  type Mutation { rename(id: ID!, name: String!): User, touch: Boolean }
  type User { id: ID!, displayName: String!, email: String, school: School, teachingCourses: [Course!]! }
  type School { id: ID!, name: String }
  type Course { id: ID!, title: String!, description: String, teacher: User! }
`;
const apiSchema = buildSchema(SDL);

const USERS = 'query($representations:[_Any!]!){_entities(representations:$representations){...on User{__typename id displayName}}}';
const COURSES = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Course{__typename id title}}}';
const EMAILS = 'query($representations:[_Any!]!){_entities(representations:$representations){...on User{email}}}';
const SECRET = '{secret}';
const TEACHING =
  'query($representations:[_Any!]!){_entities(representations:$representations){...on User{teachingCourses{__typename id}}}}';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
type Answer = (options: Options) => GatewayGraphQLResponse | Promise<GatewayGraphQLResponse>;

/**
 * The Cache-Control a subgraph would send for a fetch (platform/graphql/cache-control.ts): Course
 * is hinted PRIVATE, the rest public, 60 s. Null for no header.
 */
type Hint = (options: Options) => string | null;
const defaultHint: Hint = (options) => (options.request.query?.includes('Course') ? 'max-age=60, private' : 'max-age=60, public');

/**
 * A subgraph whose every call is recorded and answered by `answer` (default: a display name per
 * representation), with the Cache-Control of `hint` unless the answer carries its own headers.
 */
function fakeSubgraph() {
  const calls: Options[] = [];
  let hint = defaultHint;
  let answer: Answer = (options) => ({
    data: {
      _entities: (options.request.variables!.representations as Array<{ id: string; __typename: string }>).map((r) =>
        r.__typename === 'User'
          ? { __typename: r.__typename, id: r.id, displayName: `name of ${r.id}` }
          : { __typename: r.__typename, id: r.id, title: `title of ${r.id}` },
      ),
    },
  });
  const source: GraphQLDataSource<GatewayContext> = {
    async process(options) {
      calls.push(options);
      const response = await answer(options);
      const header = hint(options);
      return response.http || header === null ? response : { ...response, http: { headers: new Headers({ 'cache-control': header }) } };
    },
  };
  return {
    source,
    calls,
    answerWith(a: Answer) {
      answer = a;
    },
    hintWith(h: Hint) {
      hint = h;
    },
  };
}

let requestCount = 0;
function caller(tenant: string, userId: string | undefined, roles: string[], locale = 'en'): GatewayContext {
  return {
    requestId: `r${++requestCount}`,
    ip: '10.0.0.1',
    tenant: { id: tenant, slug: tenant },
    user: userId ? { id: userId, roles, sessionId: `s-${userId}`, expiresAt: 0 } : undefined,
    locale: locale as GatewayContext['locale'],
  };
}

const fetchOf = (query: string, variables: Record<string, unknown>, context: GatewayContext) =>
  ({
    kind: 'incoming operation',
    request: { query, variables },
    incomingRequestContext: {},
    context,
  }) as unknown as Options;

const reps = (type: string, ...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: type, id })) });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('gateway cache (fake subgraph)', () => {
  let broker: MessageBroker;
  let registry: Registry;
  let cache: GatewayCache;
  let subgraph: ReturnType<typeof fakeSubgraph>;
  let wrapped: GraphQLDataSource<GatewayContext>;

  const start = async (cfg: { enabled: boolean; dedup: boolean }) => {
    broker = createMemoryBroker();
    registry = new Registry();
    cache = createGatewayCache(cfg, { keyPrefix: 't:', broker, queue: 'gateway.cache', registry, logger: createLogger('test', 'silent') });
    cache.updateSchema(apiSchema, SDL);
    await cache.start();
    subgraph = fakeSubgraph();
    wrapped = cache.wrap('users', subgraph.source);
  };
  afterEach(async () => {
    await cache?.stop();
    await broker?.close();
  });
  const counter = async (name: string, labels: Record<string, string> = {}) => {
    const metric = await registry.getSingleMetric(name)!.get();
    return metric.values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
  };

  describe('entity cache', () => {
    beforeEach(() => start({ enabled: true, dedup: true }));

    it('shares a ROLES-scoped entity within one school and role set, and nowhere else', async () => {
      const teacherA = caller('school-a', 'tA', ['TEACHER']);
      const first = await wrapped.process(fetchOf(USERS, reps('User', 'u1'), teacherA));
      expect(first.data).toEqual({ _entities: [{ __typename: 'User', id: 'u1', displayName: 'name of u1' }] });
      // Another teacher of the school (roles in another order): served from the cache.
      const second = await wrapped.process(fetchOf(USERS, reps('User', 'u1'), caller('school-a', 'tB', ['TEACHER'])));
      expect(second.data).toEqual(first.data);
      expect(subgraph.calls).toHaveLength(1);
      // Another school, other roles, another locale, nobody signed in: each asks the subgraph.
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), caller('school-b', 'tC', ['TEACHER'])));
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), caller('school-a', 's1', ['STUDENT'])));
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), caller('school-a', 'tD', ['TEACHER', 'PARENT'])));
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), caller('school-a', 'tE', ['TEACHER'], 'ar')));
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), caller('school-a', undefined, [])));
      expect(subgraph.calls).toHaveLength(6);
      expect(await counter('gateway_cache_hits_total', { layer: 'entity' })).toBe(1);
    });

    it('keeps a USER-scoped entity to the one user who fetched it', async () => {
      await wrapped.process(fetchOf(COURSES, reps('Course', 'c1'), caller('a', 't1', ['TEACHER'])));
      await wrapped.process(fetchOf(COURSES, reps('Course', 'c1'), caller('a', 't2', ['TEACHER'])));
      expect(subgraph.calls).toHaveLength(2);
      await wrapped.process(fetchOf(COURSES, reps('Course', 'c1'), caller('a', 't1', ['TEACHER'])));
      expect(subgraph.calls).toHaveLength(2);
    });

    it('never caches for a role the rule bypasses, nor a field the allow-list does not name', async () => {
      const parent = caller('a', 'p1', ['PARENT']);
      await wrapped.process(fetchOf(COURSES, reps('Course', 'c1'), parent));
      await wrapped.process(fetchOf(COURSES, reps('Course', 'c1'), parent));
      expect(subgraph.calls).toHaveLength(2);
      const admin = caller('a', 'a1', ['SCHOOL_ADMIN']);
      await wrapped.process(fetchOf(EMAILS, reps('User', 'u1'), admin));
      await wrapped.process(fetchOf(EMAILS, reps('User', 'u1'), admin));
      expect(subgraph.calls).toHaveLength(4);
    });

    it('fetches only the entities it misses, in their places, and remaps their errors', async () => {
      const ctx = caller('a', 't1', ['TEACHER']);
      await wrapped.process(fetchOf(USERS, reps('User', 'u1', 'u3'), ctx));
      const mixed = await wrapped.process(fetchOf(USERS, reps('User', 'u2', 'u1', 'u4', 'u3'), ctx));
      expect(subgraph.calls[1].request.variables).toEqual(reps('User', 'u2', 'u4'));
      expect((mixed.data!._entities as Array<{ id: string }>).map((e) => e.id)).toEqual(['u2', 'u1', 'u4', 'u3']);

      subgraph.answerWith(() => ({
        data: { _entities: [null, { __typename: 'User', id: 'u6', displayName: 'six' }] },
        errors: [{ message: 'not allowed', path: ['_entities', 0, 'displayName'] }],
      }));
      const failed = await wrapped.process(fetchOf(USERS, reps('User', 'u1', 'u5', 'u6'), ctx));
      expect(failed.data).toEqual({ _entities: [{ __typename: 'User', id: 'u1', displayName: 'name of u1' }, null, expect.anything()] });
      expect(failed.errors).toEqual([{ message: 'not allowed', path: ['_entities', 1, 'displayName'] }]);
      // An answer with errors is not kept: u6 is asked for again.
      subgraph.answerWith(() => ({ data: { _entities: [{ __typename: 'User', id: 'u6', displayName: 'six' }] } }));
      await wrapped.process(fetchOf(USERS, reps('User', 'u6'), ctx));
      expect(subgraph.calls).toHaveLength(4);
    });

    it('drops what an event names, in its school only, as soon as the gateway has consumed it', async () => {
      const a = caller('a', 't1', ['TEACHER']);
      const b = caller('b', 't9', ['TEACHER']);
      await wrapped.process(fetchOf(USERS, reps('User', 'u1', 'u2'), a));
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), b));
      expect(subgraph.calls).toHaveLength(2);
      await broker.publish('user.upserted', {
        id: 'e1',
        type: 'user.upserted',
        version: 1,
        tenantId: 'a',
        occurredAt: '',
        payload: { userId: 'u1' },
      });
      await eventually(async () => expect(await counter('gateway_cache_invalidations_total', { cause: 'user.upserted' })).toBe(1));
      subgraph.answerWith(() => ({ data: { _entities: [{ __typename: 'User', id: 'u1', displayName: 'renamed' }] } }));
      const after = await wrapped.process(fetchOf(USERS, reps('User', 'u1', 'u2'), a));
      expect(after.data!._entities).toEqual([
        { __typename: 'User', id: 'u1', displayName: 'renamed' },
        { __typename: 'User', id: 'u2', displayName: 'name of u2' },
      ]);
      expect(subgraph.calls[2].request.variables).toEqual(reps('User', 'u1'));
      // School b's u1 is another school's entry, untouched by school a's event.
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), b));
      expect(subgraph.calls).toHaveLength(3);
    });

    it('never keeps an answer fetched before an invalidation that happened while it was in flight', async () => {
      const ctx = caller('a', 't1', ['TEACHER']);
      const old = deferred<GatewayGraphQLResponse>();
      subgraph.answerWith(() => old.promise);
      const inFlight = wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx));
      await eventually(() => expect(subgraph.calls).toHaveLength(1));
      await broker.publish('user.upserted', {
        id: 'e2',
        type: 'user.upserted',
        version: 1,
        tenantId: 'a',
        occurredAt: '',
        payload: { userId: 'u1' },
      });
      await eventually(async () => expect(await counter('gateway_cache_invalidations_total')).toBe(1));
      old.resolve({ data: { _entities: [{ __typename: 'User', id: 'u1', displayName: 'old name' }] } });
      expect((await inFlight).data!._entities).toEqual([{ __typename: 'User', id: 'u1', displayName: 'old name' }]);
      subgraph.answerWith(() => ({ data: { _entities: [{ __typename: 'User', id: 'u1', displayName: 'new name' }] } }));
      const next = await wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx));
      expect(next.data!._entities).toEqual([{ __typename: 'User', id: 'u1', displayName: 'new name' }]);
    });

    it('drops what a mutation answer names before the answer goes back (read-your-writes)', async () => {
      const ctx = caller('a', 't1', ['TEACHER']);
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx));
      subgraph.answerWith(() => ({ data: { rename: { id: 'u1' } } }));
      await wrapped.process(fetchOf('mutation{rename(id:"u1",name:"x"){id}}', {}, ctx));
      subgraph.answerWith(() => ({ data: { _entities: [{ __typename: 'User', id: 'u1', displayName: 'x' }] } }));
      const read = await wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx));
      expect(read.data!._entities).toEqual([{ __typename: 'User', id: 'u1', displayName: 'x' }]);
      expect(await counter('gateway_cache_invalidations_total', { cause: 'mutation' })).toBe(1);
    });

    it('drops the whole school when a mutation answer names an allowed type without its id', async () => {
      const ctx = caller('a', 't1', ['TEACHER']);
      await wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx));
      subgraph.answerWith(() => ({ data: { rename: { displayName: 'x' } } }));
      await wrapped.process(fetchOf('mutation{rename(id:"u1",name:"x"){displayName}}', {}, ctx));
      subgraph.answerWith(() => ({ data: { _entities: [{ __typename: 'User', id: 'u1', displayName: 'x' }] } }));
      expect((await wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx))).data!._entities).toEqual([
        { __typename: 'User', id: 'u1', displayName: 'x' },
      ]);
    });

    it('caches a root fetch under its scope and drops it on an event about its type', async () => {
      subgraph.answerWith((o) => ({ data: { me: { id: (o.context as GatewayContext).user!.id, displayName: 'me' } } }));
      const t1 = caller('a', 't1', ['TEACHER']);
      const t2 = caller('a', 't2', ['TEACHER']);
      expect((await wrapped.process(fetchOf('{me{id displayName}}', {}, t1))).data).toEqual({ me: { id: 't1', displayName: 'me' } });
      expect((await wrapped.process(fetchOf('{me{id displayName}}', {}, t2))).data).toEqual({ me: { id: 't2', displayName: 'me' } });
      expect((await wrapped.process(fetchOf('{me{id displayName}}', {}, t1))).data).toEqual({ me: { id: 't1', displayName: 'me' } });
      expect(subgraph.calls).toHaveLength(2);
      await broker.publish('user.upserted', {
        id: 'e3',
        type: 'user.upserted',
        version: 1,
        tenantId: 'a',
        occurredAt: '',
        payload: { userId: 'zz' },
      });
      await eventually(async () => expect(await counter('gateway_cache_invalidations_total')).toBe(1));
      await wrapped.process(fetchOf('{me{id displayName}}', {}, t1));
      expect(subgraph.calls).toHaveLength(3);
    });
  });

  describe("TTLs from the subgraphs' hints", () => {
    beforeEach(() => start({ enabled: true, dedup: true }));

    /** An entity fetch answered with the subgraph's display name of the moment. */
    let name = 'first';
    beforeEach(() => {
      name = 'first';
      subgraph.answerWith((o) => ({
        data: {
          _entities: (o.request.variables!.representations as Array<{ id: string }>).map((r) => ({
            __typename: 'User',
            id: r.id,
            displayName: `${name} of ${(o.context as GatewayContext).user?.id}`,
          })),
        },
      }));
    });
    const displayName = async (ctx: GatewayContext) =>
      ((await wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx))).data!._entities as Array<{ displayName: string }>)[0].displayName;

    it('keeps an answer for its max-age only: after a 1 s hint, a fresh answer is served', async () => {
      subgraph.hintWith(() => 'max-age=1, public');
      const t1 = caller('a', 't1', ['TEACHER']);
      expect(await displayName(t1)).toBe('first of t1');
      name = 'second';
      // Kept: another teacher of the school is served the first answer.
      expect(await displayName(caller('a', 't2', ['TEACHER']))).toBe('first of t1');
      expect(subgraph.calls).toHaveLength(1);
      // Once its second is over, the subgraph is asked again.
      await eventually(async () => expect(await displayName(t1)).toBe('second of t1'), 15_000, 100);
      expect(await counter('gateway_cache_hits_total', { layer: 'entity' })).toBeGreaterThanOrEqual(1);
    });

    it('keeps nothing the subgraph answered without a max-age: no header, no-store, max-age=0', async () => {
      const t1 = caller('a', 't1', ['TEACHER']);
      for (const header of [null, 'no-store', 'max-age=0, public', 'private']) {
        subgraph.hintWith(() => header);
        const before = subgraph.calls.length;
        await displayName(t1);
        await displayName(t1);
        expect([header, subgraph.calls.length - before]).toEqual([header, 2]);
      }
      expect(await counter('gateway_cache_unhinted_total', { subgraph: 'users' })).toBe(8);
      expect(await counter('gateway_cache_hits_total')).toBe(0);
      // The same fetch hinted again is kept again.
      subgraph.hintWith(() => 'max-age=60, public');
      await displayName(t1);
      await displayName(t1);
      expect(await counter('gateway_cache_hits_total', { layer: 'entity' })).toBe(1);
    });

    it('keeps a private answer to its user even where the allow-list shares by roles, and never across schools', async () => {
      subgraph.hintWith(() => 'max-age=60, private');
      const t1 = caller('a', 't1', ['TEACHER']);
      expect(await displayName(t1)).toBe('first of t1');
      name = 'second';
      // Same school, same roles: the allow-list says ROLES, the subgraph said private.
      expect(await displayName(caller('a', 't2', ['TEACHER']))).toBe('second of t2');
      // The same user id in another school is another school's entity.
      expect(await displayName(caller('b', 't1', ['TEACHER']))).toBe('second of t1');
      expect(subgraph.calls).toHaveLength(3);
      // Each user's own answer is kept for them.
      expect(await displayName(t1)).toBe('first of t1');
      expect(await displayName(caller('a', 't2', ['TEACHER']))).toBe('second of t2');
      expect(subgraph.calls).toHaveLength(3);
      // A root fetch too.
      subgraph.answerWith((o) => ({ data: { user: { id: 'u1', displayName: `seen by ${(o.context as GatewayContext).user!.id}` } } }));
      const read = async (ctx: GatewayContext) => (await wrapped.process(fetchOf('{user(id:"u1"){id displayName}}', {}, ctx))).data;
      expect(await read(t1)).toEqual({ user: { id: 'u1', displayName: 'seen by t1' } });
      expect(await read(caller('a', 't3', ['TEACHER']))).toEqual({ user: { id: 'u1', displayName: 'seen by t3' } });
      expect(await read(t1)).toEqual({ user: { id: 'u1', displayName: 'seen by t1' } });
      expect(subgraph.calls).toHaveLength(5);
    });

    it('never hands a caller who joined a fetch under ROLES an answer that came back private', async () => {
      const gate = deferred<void>();
      subgraph.hintWith(() => 'max-age=60, private');
      subgraph.answerWith(async (o) => {
        await gate.promise;
        return {
          data: { _entities: [{ __typename: 'User', id: 'u1', displayName: `seen by ${(o.context as GatewayContext).user!.id}` }] },
        };
      });
      const teachers = ['t1', 't2', 't3'].map((id) => caller('a', id, ['TEACHER']));
      const answers = teachers.map((ctx) => wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx)));
      await new Promise((resolve) => setImmediate(resolve));
      gate.resolve();
      const names = (await Promise.all(answers)).map((a) => (a.data!._entities as Array<{ displayName: string }>)[0].displayName);
      expect(names).toEqual(['seen by t1', 'seen by t2', 'seen by t3']);
      // One shared call (private), then each joiner's own.
      expect(await counter('gateway_fetch_dedup_joins_total')).toBe(2);
      expect(subgraph.calls).toHaveLength(3);
    });
  });

  describe('response cache', () => {
    /**
     * Apollo Server in front of a stand-in gateway whose plan is two fetches through the cache:
     * `user(id)` (a root fetch), then its `displayName` by `_entities`, each with its own hint.
     * Like RemoteGraphQLDataSource, each fetch's hint restricts the request's cache policy.
     */
    let server: ApolloServer<GatewayContext>;
    const hints: Record<string, string> = {};
    let name = 'first';
    const ROOT = '{user(id:"u1"){__typename id}}';
    const QUERY = '{ user(id: "u1") { id displayName } }';

    const startServer = async (plugins: ApolloServerPlugin<GatewayContext>[]) => {
      const gateway: GatewayInterface = {
        onSchemaLoadOrUpdate: (callback) => {
          callback({ apiSchema, coreSupergraphSdl: SDL });
          return () => undefined;
        },
        load: async () => ({
          executor: async (rc) => {
            const process = async (query: string, variables: Record<string, unknown>) => {
              const response = await wrapped.process({
                ...fetchOf(query, variables, rc.context as GatewayContext),
                incomingRequestContext: rc,
              } as Options);
              rc.overallCachePolicy.restrict({ maxAge: 60, scope: 'PUBLIC' });
              return response;
            };
            const root = await process(ROOT, {});
            const entity = await process(USERS, reps('User', (root.data!.user as { id: string }).id));
            return { data: { user: { id: 'u1', displayName: (entity.data!._entities as Array<{ displayName: string }>)[0].displayName } } };
          },
        }),
        stop: async () => undefined,
      };
      server = new ApolloServer<GatewayContext>({ gateway, plugins });
      await server.start();
    };

    beforeEach(async () => {
      await start({ enabled: true, dedup: false });
      name = 'first';
      hints.root = 'max-age=60, public';
      hints.entity = 'max-age=60, public';
      subgraph.hintWith((o) => (o.request.query === ROOT ? hints.root : hints.entity));
      subgraph.answerWith((o) =>
        o.request.query === ROOT
          ? { data: { user: { __typename: 'User', id: 'u1' } } }
          : {
              data: { _entities: [{ __typename: 'User', id: 'u1', displayName: `${name} for ${(o.context as GatewayContext).user!.id}` }] },
            },
      );
      await startServer(cache.plugins);
    });
    afterEach(() => server?.stop());

    const run = async (ctx: GatewayContext) => {
      const response = await server.executeOperation({ query: QUERY }, { contextValue: ctx });
      expect(response.body.kind).toBe('single');
      const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
      return { data: result?.data, cacheControl: response.http.headers.get('cache-control') };
    };

    it('keeps a response no longer than the shortest max-age of its fetches', async () => {
      hints.entity = 'max-age=1, public';
      const t1 = caller('a', 't1', ['TEACHER']);
      expect((await run(t1)).data).toEqual({ user: { id: 'u1', displayName: 'first for t1' } });
      name = 'second';
      expect((await run(caller('a', 't2', ['TEACHER']))).data).toEqual({ user: { id: 'u1', displayName: 'first for t1' } });
      expect(await counter('gateway_cache_hits_total', { layer: 'response' })).toBe(1);
      // The root fetch would be good for a minute; the response goes with its entity's second.
      await eventually(async () => expect((await run(t1)).data).toEqual({ user: { id: 'u1', displayName: 'second for t1' } }), 15_000, 100);
    });

    it('shares a response whose fetches were private with its user only', async () => {
      hints.entity = 'max-age=60, private';
      const t1 = caller('a', 't1', ['TEACHER']);
      const t2 = caller('a', 't2', ['TEACHER']);
      expect((await run(t1)).data).toEqual({ user: { id: 'u1', displayName: 'first for t1' } });
      expect((await run(t2)).data).toEqual({ user: { id: 'u1', displayName: 'first for t2' } });
      // From now on the operation is kept per user: each is served their own.
      expect((await run(t1)).data).toEqual({ user: { id: 'u1', displayName: 'first for t1' } });
      expect((await run(t1)).data).toEqual({ user: { id: 'u1', displayName: 'first for t1' } });
      expect((await run(t2)).data).toEqual({ user: { id: 'u1', displayName: 'first for t2' } });
      expect((await run(t2)).data).toEqual({ user: { id: 'u1', displayName: 'first for t2' } });
      expect(await counter('gateway_cache_hits_total', { layer: 'response' })).toBe(3);
    });

    it('keeps no response one of whose fetches was not hinted', async () => {
      hints.entity = 'no-store';
      const t1 = caller('a', 't1', ['TEACHER']);
      await run(t1);
      name = 'second';
      expect((await run(t1)).data).toEqual({ user: { id: 'u1', displayName: 'second for t1' } });
      expect(await counter('gateway_cache_hits_total', { layer: 'response' })).toBe(0);
    });

    it('tells clients no-store, whatever the subgraphs said', async () => {
      const t1 = caller('a', 't1', ['TEACHER']);
      expect((await run(t1)).cacheControl).toBe('no-store');
      expect((await run(t1)).cacheControl).toBe('no-store');
      // Without it, Apollo Server passes the subgraphs' hints on.
      await server.stop();
      await startServer([]);
      expect((await run(t1)).cacheControl).toBe('max-age=60, public');
    });
  });

  describe('in-flight deduplication', () => {
    beforeEach(() => start({ enabled: true, dedup: true }));

    /** Starts `n` fetches while the subgraph holds its answer, then lets it answer. */
    async function concurrently(query: string, variables: Record<string, unknown>, contexts: GatewayContext[]) {
      const gate = deferred<void>();
      subgraph.answerWith(async (o) => {
        await gate.promise;
        const user = (o.context as GatewayContext).user;
        return query === SECRET
          ? { data: { secret: `secret of ${user?.id}` } }
          : {
              data: {
                _entities: (o.request.variables!.representations as Array<{ id: string }>).map((r) => ({
                  __typename: 'User',
                  id: r.id,
                  displayName: `seen by ${user?.roles.join()}`,
                })),
              },
            };
      });
      const answers = contexts.map((ctx) => wrapped.process(fetchOf(query, variables, ctx)));
      await new Promise((resolve) => setImmediate(resolve));
      gate.resolve();
      return Promise.all(answers);
    }

    it('joins the same identity, and hands each caller a copy of its own', async () => {
      const me = caller('a', 's1', ['STUDENT']);
      const [one, two] = await concurrently(SECRET, {}, [me, { ...me, requestId: 'other' }]);
      expect(subgraph.calls).toHaveLength(1);
      expect(one.data).toEqual({ secret: 'secret of s1' });
      expect(two.data).toEqual(one.data);
      (two.data as Record<string, unknown>).secret = 'changed by the second request';
      expect(one.data).toEqual({ secret: 'secret of s1' });
      expect(await counter('gateway_fetch_dedup_joins_total')).toBe(1);
    });

    it('never joins two users on a fetch the allow-list does not name, even with the same roles', async () => {
      const answers = await concurrently(SECRET, {}, [caller('a', 's1', ['STUDENT']), caller('a', 's2', ['STUDENT'])]);
      expect(subgraph.calls).toHaveLength(2);
      expect(answers.map((a) => a.data)).toEqual([{ secret: 'secret of s1' }, { secret: 'secret of s2' }]);
    });

    it('joins a ROLES-scoped fetch across users of one role set, never across role sets or schools', async () => {
      const contexts = [
        caller('a', 't1', ['TEACHER']),
        caller('a', 't2', ['TEACHER']),
        caller('a', 's1', ['STUDENT']),
        caller('b', 't3', ['TEACHER']),
      ];
      const answers = await concurrently(USERS, reps('User', 'u1'), contexts);
      expect(subgraph.calls).toHaveLength(3);
      expect(answers.map((a) => (a.data!._entities as Array<{ displayName: string }>)[0].displayName)).toEqual([
        'seen by TEACHER',
        'seen by TEACHER',
        'seen by STUDENT',
        'seen by TEACHER',
      ]);
    });

    it('joins a USER-scoped fetch across the sessions of one user, never across users or role sets', async () => {
      const session = (ctx: GatewayContext, sessionId: string): GatewayContext => ({ ...ctx, user: { ...ctx.user!, sessionId } });
      const teacher = caller('a', 't1', ['TEACHER']);
      const contexts = [teacher, session(teacher, 'another tab'), caller('a', 't2', ['TEACHER']), caller('a', 't1', ['TEACHER', 'ADMIN'])];
      await concurrently(COURSES, reps('Course', 'c1'), contexts);
      // t1's two sessions share one; t2 (same roles) and t1 with other roles each fetch their own.
      expect(subgraph.calls).toHaveLength(3);
      expect(subgraph.calls.map((c) => (c.context as GatewayContext).user!.id)).toEqual(['t1', 't2', 't1']);
    });

    it('keeps User.teachingCourses to its caller though User is shared by roles, and leaves parents out', async () => {
      subgraph.hintWith(() => 'max-age=60, public');
      const teachingOf = (ctx: GatewayContext) => wrapped.process(fetchOf(TEACHING, reps('User', 't1'), ctx));
      subgraph.answerWith((o) => ({
        data: { _entities: [{ teachingCourses: [{ __typename: 'Course', id: `seen by ${(o.context as GatewayContext).user!.id}` }] }] },
      }));
      const teacher = caller('a', 't1', ['TEACHER']);
      await teachingOf(teacher);
      await teachingOf({ ...teacher, user: { ...teacher.user!, sessionId: 'another tab' } });
      expect(subgraph.calls).toHaveLength(1);
      // Another teacher of the school: its own answer, never t1's (the subgraph said public: the allow-list's USER holds).
      expect((await teachingOf(caller('a', 't2', ['TEACHER']))).data).toEqual({
        _entities: [{ teachingCourses: [{ __typename: 'Course', id: 'seen by t2' }] }],
      });
      const parent = caller('a', 'p1', ['PARENT']);
      await teachingOf(parent);
      await teachingOf(parent);
      expect(subgraph.calls.map((c) => (c.context as GatewayContext).user!.id)).toEqual(['t1', 't2', 'p1', 'p1']);
    });

    it('does not let a fetch that started before a change answer a caller who came after it', async () => {
      const me = caller('a', 's1', ['STUDENT']);
      const gate = deferred<void>();
      subgraph.answerWith(async () => {
        await gate.promise;
        return { data: { secret: 'x' } };
      });
      const before = wrapped.process(fetchOf(SECRET, {}, me));
      await broker.publish('course.upserted', {
        id: 'e4',
        type: 'course.upserted',
        version: 1,
        tenantId: 'a',
        occurredAt: '',
        payload: { courseId: 'c' },
      });
      await eventually(async () => expect(await counter('gateway_cache_invalidations_total')).toBe(1));
      const after = wrapped.process(fetchOf(SECRET, {}, me));
      gate.resolve();
      await Promise.all([before, after]);
      expect(subgraph.calls).toHaveLength(2);
    });

    it('never joins mutations', async () => {
      const me = caller('a', 's1', ['STUDENT']);
      subgraph.answerWith(() => ({ data: { touch: true } }));
      await Promise.all([wrapped.process(fetchOf('mutation{touch}', {}, me)), wrapped.process(fetchOf('mutation{touch}', {}, me))]);
      expect(subgraph.calls).toHaveLength(2);
    });
  });

  it('with both off, hands the subgraph source back untouched', async () => {
    await start({ enabled: false, dedup: false });
    expect(wrapped).toBe(subgraph.source);
    // Only the one that keeps the subgraphs' hints from clients.
    expect(cache.plugins).toEqual([clientCacheControl]);
  });

  it('with only deduplication on, shares nothing across identities and caches nothing', async () => {
    await start({ enabled: false, dedup: true });
    const ctx = caller('a', 't1', ['TEACHER']);
    await wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx));
    await wrapped.process(fetchOf(USERS, reps('User', 'u1'), ctx));
    expect(subgraph.calls).toHaveLength(2);
  });
});

describe('memory store', () => {
  it('never brings an entry back when a tag it recorded is evicted and created again', async () => {
    const store = createMemoryStore(1);
    const first = await store.lookup(['tag'], ['entry']);
    await store.put('entry', { tag: first!.tags.tag }, 'old', 60);
    expect((await store.lookup(['tag'], ['entry']))!.entries).toEqual(['old']);
    // maxEntries 1 keeps at most 4 tags: four others push `tag` out.
    await store.lookup(['t1', 't2', 't3', 't4'], []);
    const again = await store.lookup(['tag'], ['entry']);
    expect(again!.tags.tag).not.toBe(first!.tags.tag);
    expect(again!.entries).toEqual([null]);
  });
});

describe('cache policy', () => {
  it('names, for every type with cacheable data, the events that change it', () => {
    const followed = invalidatedTypes();
    for (const [type, rule] of Object.entries(DEFAULT_CACHE_POLICY.types)) {
      // A wrapper (a connection, an edge) is ended by the events of the types it wraps.
      const ended = followed.has(type) || (!!rule.endedBy?.length && rule.endedBy.every((t) => followed.has(t)));
      const changing = rule.fields.filter(
        (f) => !KEY_FIELDS.has(f) && !['createdAt', 'school'].includes(f) && !rule.unchangedByApi?.includes(f),
      );
      if (changing.length) expect([type, ended]).toEqual([type, true]);
    }
    expect(Object.keys(INVALIDATING_EVENTS)).toEqual(expect.arrayContaining(['user.upserted', 'course.upserted']));
  });

  it('names only what a subgraph hints (schema/subgraphs): anything else would never be kept', () => {
    const dir = path.join(__dirname, '../../schema/subgraphs');
    const types = readdirSync(dir).flatMap((file) =>
      parse(readFileSync(path.join(dir, file), 'utf8')).definitions.filter(
        (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION,
      ),
    );
    const hinted = (node: { directives?: readonly DirectiveNode[] }) => !!node.directives?.some((d) => d.name.value === 'cacheControl');
    const fieldHinted = (type: string, field: string) =>
      types.some((t) => t.name.value === type && t.fields?.some((f) => f.name.value === field && hinted(f)));
    const unhinted: string[] = [];
    for (const [type, rule] of Object.entries(DEFAULT_CACHE_POLICY.types)) {
      for (const field of rule.fields) if (!fieldHinted(type, field)) unhinted.push(`${type}.${field}`);
      // Fetched as an entity: its type's hint is the `_entities` fetch's.
      if (rule.fields.length && !types.some((t) => t.name.value === type && hinted(t))) unhinted.push(type);
    }
    for (const field of Object.keys(DEFAULT_CACHE_POLICY.rootFields)) if (!fieldHinted('Query', field)) unhinted.push(`Query.${field}`);
    expect(unhinted).toEqual([]);
  });
});
