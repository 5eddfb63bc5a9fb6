import { DEMO } from '../../platform/demo';
import { createLogger } from '../../platform/logger';
import { eventually } from '../../testkit/eventually';
import { codes } from '../../testkit/graphql-client';
import { demoPeople, publishedCourse } from '../../testkit/courses';
import { LiveSessionEventKind, liveSessionTopic } from '../../subgraphs/courses/live-session/live-event';
import { LiveEvents } from '../../subgraphs/courses/live-session/live-events';
import { LIVE, startClassroomStack, type ClassroomStack } from '../../testkit/subscriptions/classroom-stack';
import { startRedisServer, type OwnRedis } from '../../testkit/redis-server';
import { connectClient, subscribe, type TestClient } from '../../testkit/subscriptions/ws-clients';

const demo = DEMO.schools.demo.id;

/**
 * One live class through everything that restarts in production: a new supergraph version, the
 * courses subgraph restarting, Redis restarting (a redis-server of this test's own, append-only
 * file on). Every subscriber keeps its subscription and receives every event the stream holds,
 * in order, including those published while a dependency was down (classroom actions are
 * refused with SERVICE_UNAVAILABLE while Redis is).
 */
describe('a live classroom through reloads and restarts', () => {
  let redis: OwnRedis;
  let c: ClassroomStack;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    c = await startClassroomStack('mysql', { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await c?.stop();
    await redis?.close();
  });

  it('keeps every subscriber receiving every event, losing nothing the stream holds', async () => {
    const people = await demoPeople(c.stack);
    const { teacher, student, parent, admin } = people;
    const course = await publishedCourse(teacher, { title: 'Resilient physics', students: [student] });
    const { scheduleLiveSession } = await teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      {
        c: course.id,
        i: { title: 'Waves', startsAt: new Date(Date.now() + 60_000).toISOString() },
      },
    );
    const id = scheduleLiveSession.id as string;
    const subs = [student, parent, admin].map((p) => {
      const client = connectClient(c.wsUrl, { token: p.token, tenant: 'demo' });
      clients.push(client);
      return subscribe(client.client, LIVE, { id, after: '0-0' });
    });
    const chat = (text: string) =>
      teacher.ok('mutation($s: ID!, $t: String!) { sendLiveChat(sessionId: $s, text: $t) { id } }', { s: id, t: text });
    // What another courses instance writes while this one is down (the same publisher code).
    const publishDirect = (text: string) =>
      new LiveEvents(c.stack.transport.bus).publish({
        kind: LiveSessionEventKind.CHAT_MESSAGE,
        schoolId: demo,
        sessionId: id,
        actorId: teacher.id,
        text,
      });
    const texts = (i: number) => subs[i].results.map((r) => r.data?.liveSessionEvents.text).filter(Boolean);

    await teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id });
    await teacher.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id });
    await chat('before');
    await eventually(() => subs.forEach((_, i) => expect(texts(i)).toEqual(['before'])));

    // 1. A new supergraph version (users without School.timezone) while the class runs.
    c.writeSupergraph({ subgraph: 'users', change: (sdl) => sdl.replace(/\n\s*timezone: String!/, '') });
    await eventually(async () =>
      expect(codes(await c.stack.gql('{ school { timezone } }', { tenant: 'demo' }))).toEqual(['GRAPHQL_VALIDATION_FAILED']),
    );
    await chat('after reload');

    // 2. The courses subgraph goes down and comes back; meanwhile another instance keeps publishing.
    await c.stack.services.courses.stop();
    await publishDirect('while courses was down');
    await c.stack.restart('courses');
    await chat('after courses restart');

    // 3. Redis goes down and comes back. A person's classroom action is refused meanwhile
    // (SERVICE_UNAVAILABLE); an announcement waits in the publisher's queue and is delivered after.
    await redis.stop();
    expect(codes(await teacher.q('mutation($s: ID!) { sendLiveChat(sessionId: $s, text: "lost?") { id } }', { s: id }))).toEqual([
      'SERVICE_UNAVAILABLE',
    ]);
    await new LiveEvents(c.stack.transport.bus).announce(
      { schoolId: demo, id },
      { kind: LiveSessionEventKind.CHAT_MESSAGE, actorId: teacher.id, text: 'while redis was down' },
      createLogger('test'),
    );
    await redis.start();
    // Refused until the subgraph's Redis clients are back, and then accepted (never half-done).
    await eventually(() => chat('after redis restart'));

    const expected = [
      'before',
      'after reload',
      'while courses was down',
      'after courses restart',
      'while redis was down',
      'after redis restart',
    ];
    const truth = await c.stack.transport.bus.history(liveSessionTopic(demo, id));
    await eventually(
      () =>
        subs.forEach((sub, i) => {
          expect(texts(i)).toEqual(expected);
          expect(sub.results.map((r) => r.data.liveSessionEvents.id)).toEqual(truth.map((e) => e.id));
        }),
      30_000,
    );
    for (const sub of subs) {
      expect(sub.completed).toBe(false);
      expect(sub.results.every((r) => !r.errors && r.data.liveSessionEvents.session.course.title === 'Resilient physics')).toBe(true);
      expect(
        sub.results
          .filter((r) => r.data.liveSessionEvents.text)
          .every((r) => r.data.liveSessionEvents.actor.displayName === DEMO.users.demoTeacher.displayName),
      ).toBe(true);
    }
    expect(clients.flatMap((client) => client.closes)).toEqual([]);
  });
});
