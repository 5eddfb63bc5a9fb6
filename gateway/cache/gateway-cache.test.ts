import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { buildSchema } from 'graphql';
import { Registry } from 'prom-client';
import { createMemoryBroker } from '../../platform/broker/memory-broker';
import type { MessageBroker } from '../../platform/broker/message-broker';
import { createLogger } from '../../platform/logger';
import { eventually } from '../../testkit/eventually';
import type { GatewayContext } from '../edge/context';
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
  type User { id: ID!, displayName: String!, email: String, school: School }
  type School { id: ID!, name: String }
  type Course { id: ID!, title: String!, description: String, teacher: User! }
`;
const apiSchema = buildSchema(SDL);

const USERS = 'query($representations:[_Any!]!){_entities(representations:$representations){...on User{__typename id displayName}}}';
const COURSES = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Course{__typename id title}}}';
const EMAILS = 'query($representations:[_Any!]!){_entities(representations:$representations){...on User{email}}}';
const SECRET = '{secret}';

type Options = GraphQLDataSourceProcessOptions<GatewayContext>;
type Answer = (options: Options) => GatewayGraphQLResponse | Promise<GatewayGraphQLResponse>;

/** A subgraph whose every call is recorded and answered by `answer` (default: a display name per representation). */
function fakeSubgraph() {
  const calls: Options[] = [];
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
      return answer(options);
    },
  };
  return {
    source,
    calls,
    answerWith(a: Answer) {
      answer = a;
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
    expect(cache.plugins).toEqual([]);
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
      if (rule.fields.some((f) => !KEY_FIELDS.has(f) && !['createdAt', 'school'].includes(f)))
        expect([type, followed.has(type)]).toEqual([type, true]);
    }
    expect(Object.keys(INVALIDATING_EVENTS)).toEqual(expect.arrayContaining(['user.upserted', 'course.upserted']));
  });
});
