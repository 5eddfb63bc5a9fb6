import Redis from 'ioredis';
import { DEMO } from '../../platform/demo';
import { createLogger } from '../../platform/logger';
import { closeRedisClient, createRedisClient } from '../../platform/redis';
import type { SubgraphService } from '../../platform/subgraph/host';
import { demoPeople, newMember, publishedCourse, type Person } from '../../testkit/courses';
import { eventually } from '../../testkit/eventually';
import { metric } from '../../testkit/metrics';
import { startRedisServer, type OwnRedis } from '../../testkit/redis-server';
import { startStack, type Stack } from '../../testkit/stack';
import { createRedisStore, type CacheStore } from './store';

/**
 * The cache on Redis (a redis-server of this test's own, append-only file on as deployed, that
 * the test stops and starts): the store's invalidation semantics, and the gateway answering
 * correctly while Redis is away and after it comes back with what it held before.
 */
describe('gateway cache on Redis', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.close());

  describe('store', () => {
    let client: Redis;
    let store: CacheStore;
    beforeAll(async () => {
      client = createRedisClient(redis.url, createLogger('test', 'silent'), 'cache-store-test');
      store = createRedisStore(client);
      await eventually(() => expect(client.status).toBe('ready'));
    });
    afterAll(() => closeRedisClient(client));

    it('serves an entry while its tags hold, never after one is renewed, evicted or expired', async () => {
      const tags = ['s:t:a:User:1', 's:t:a:User'];
      const first = (await store.lookup(tags, ['s:e:a:1']))!;
      expect(first.entries).toEqual([null]);
      await store.put('s:e:a:1', first.tags, '{"tenant":"a","value":1}', 60);
      expect((await store.lookup(tags, ['s:e:a:1']))!.entries).toEqual(['{"tenant":"a","value":1}']);

      expect(await store.invalidate(['s:t:a:User:1'])).toBe(true);
      expect((await store.lookup(tags, ['s:e:a:1']))!.entries).toEqual([null]);

      // A tag that disappears (evicted under maxmemory, expired) comes back with a new value: still a miss.
      const again = (await store.lookup(tags, []))!;
      await store.put('s:e:a:2', again.tags, 'two', 60);
      await client.del('s:t:a:User');
      expect((await store.lookup([], ['s:e:a:2']))!.entries).toEqual([null]);
      expect((await store.lookup(tags, ['s:e:a:2']))!.entries).toEqual([null]);
    });

    it('keeps an entry for its TTL, to the millisecond (a subgraph max-age, or what is left of one)', async () => {
      const { tags } = (await store.lookup(['s:t:a:Course:1'], []))!;
      await store.put('s:e:a:3', tags, 'short', 0.4);
      const pttl = await client.pttl('s:e:a:3');
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(400);
      await eventually(async () => expect((await store.lookup(['s:t:a:Course:1'], ['s:e:a:3']))!.entries).toEqual([null]));
    });
  });

  describe('through the stack', () => {
    let stack: Stack;
    let teacher: Person;
    let student: Person;
    let base: string;

    beforeAll(async () => {
      // Only the gateway reads CACHE_REDIS_URL: the subgraphs keep their embedded adapters.
      stack = await startStack(
        'sqlite',
        { GATEWAY_CACHE: '1', GATEWAY_DEDUP: '1', CACHE_REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'cachetest:' },
        { subgraphs: ['users', 'courses'] },
      );
      base = new URL(stack.gatewayUrl).origin;
      const people = await demoPeople(stack);
      teacher = await newMember(stack, people.admin, 'TEACHER', 'Sherif Kamal');
      student = await newMember(stack, people.admin, 'STUDENT', 'Laila Mostafa');
    });
    afterAll(() => stack?.stop());

    const COURSE = 'query($id: ID!) { course(id: $id) { id title teacher { id displayName } } }';
    const hits = () => metric(base, 'gateway_cache_hits_total');

    it('keeps every key under its school, answers correctly while Redis is down, and trusts nothing stale once it is back', async () => {
      const course = await publishedCourse(teacher, { title: 'Chemistry' });
      const read = async () => (await student.ok(COURSE, { id: course.id })).course;
      expect(await read()).toEqual({ id: course.id, title: 'Chemistry', teacher: { id: teacher.id, displayName: 'Sherif Kamal' } });
      const before = await hits();
      await read();
      expect(await hits()).toBeGreaterThan(before);

      // Every entry and every tag but the global epoch names its school (OWASP multi-tenant: tenant-prefixed keys).
      const probe = new Redis(redis.url);
      const keys = await probe.keys('cachetest:cache:*');
      await probe.quit();
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys.filter((k) => k !== 'cachetest:cache:t:epoch')) {
        expect(key).toMatch(new RegExp(`^cachetest:cache:[et]:(${DEMO.schools.demo.id}|${DEMO.schools.nile.id}):`));
      }
      expect(keys.some((k) => k.startsWith(`cachetest:cache:e:${DEMO.schools.demo.id}:`))).toBe(true);

      await redis.stop();
      const during: unknown[] = [];
      during.push(await read());
      await teacher.ok('mutation { updateMe(input: { displayName: "Sherif K." }) { id } }');
      await teacher.ok('mutation($id: ID!) { updateCourse(id: $id, input: { title: "Chemistry 2" }) { id } }', { id: course.id });
      during.push(await read(), await read());
      expect(during).toEqual([
        { id: course.id, title: 'Chemistry', teacher: { id: teacher.id, displayName: 'Sherif Kamal' } },
        { id: course.id, title: 'Chemistry 2', teacher: { id: teacher.id, displayName: 'Sherif K.' } },
        { id: course.id, title: 'Chemistry 2', teacher: { id: teacher.id, displayName: 'Sherif K.' } },
      ]);
      expect(await metric(base, 'gateway_cache_unavailable_total')).toBeGreaterThan(0);

      // Back, with the entries it held before the changes (append-only file): none may be served.
      await redis.start();
      const after: unknown[] = [];
      const hitsBack = await hits();
      await eventually(async () => {
        after.push(await read());
        expect(await metric(base, 'gateway_cache_invalidations_total', { cause: 'epoch' })).toBeGreaterThan(0);
        expect(await hits()).toBeGreaterThan(hitsBack);
      });
      expect(new Set(after.map((a) => JSON.stringify(a)))).toEqual(
        new Set([JSON.stringify({ id: course.id, title: 'Chemistry 2', teacher: { id: teacher.id, displayName: 'Sherif K.' } })]),
      );
      // The events of both changes, delivered late, change nothing more.
      await stack.service<SubgraphService>('users').outbox().drain();
      expect(await read()).toEqual({ id: course.id, title: 'Chemistry 2', teacher: { id: teacher.id, displayName: 'Sherif K.' } });
    });
  });
});
