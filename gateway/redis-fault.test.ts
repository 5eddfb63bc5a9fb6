import { DEMO } from '../platform/demo';
import { createLogger } from '../platform/logger';
import { LiveSessionEventKind, liveSessionTopic } from '../subgraphs/courses/live-session/live-event';
import { LiveEvents } from '../subgraphs/courses/live-session/live-events';
import { demoPeople, publishedCourse } from '../testkit/courses';
import { eventually } from '../testkit/eventually';
import { codes, type GqlResult } from '../testkit/graphql-client';
import { startRedisServer, type OwnRedis } from '../testkit/redis-server';
import { LIVE, startClassroomStack, type ClassroomStack } from '../testkit/subscriptions/classroom-stack';
import { connectClient, subscribe, type TestClient } from '../testkit/subscriptions/ws-clients';

type Phase = 'before' | 'down' | 'back';
interface Answer {
  phase: Phase;
  op: string;
  status: number;
  codes: unknown[];
  services: unknown[];
}

/**
 * The fault test: Redis (a redis-server of this test's own, append-only file on as deployed) is
 * killed while queries, mutations and a `liveSessionEvents` subscription run in production mode
 * (MariaDB, RabbitMQ). Everything that does not need Redis keeps working; what does (classroom
 * actions, new subscriptions) answers SERVICE_UNAVAILABLE naming Redis; nothing answers a masked
 * 500; the subscription resumes without a gap once Redis is back, with the events published
 * meanwhile delivered, none lost silently.
 */
describe('Redis killed under load', () => {
  let redis: OwnRedis;
  let c: ClassroomStack;
  const clients: TestClient[] = [];
  let consoleErrors: jest.SpyInstance;

  beforeAll(async () => {
    // ioredis reports an 'error' event nobody listens to with console.error.
    consoleErrors = jest.spyOn(console, 'error');
    redis = await startRedisServer();
    // The load is many requests a minute for a few people: the limits are not under test here.
    c = await startClassroomStack('mysql', {
      REDIS_URL: redis.url,
      RATE_LIMIT_USER_PER_MINUTE: '100000',
      RATE_LIMIT_IP_PER_MINUTE: '100000',
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await c?.stop();
    await redis?.close();
    consoleErrors?.mockRestore();
  });

  const connect = (token: string) => {
    const client = connectClient(c.wsUrl, { token, tenant: 'demo' });
    clients.push(client);
    return client;
  };

  it('keeps serving what does not need Redis, refuses what does with a code, and loses no live event', async () => {
    const { teacher, student, parent } = await demoPeople(c.stack);
    const course = await publishedCourse(teacher, { title: 'Fault lines', students: [student] });
    const { scheduleLiveSession } = await teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      { c: course.id, i: { title: 'Outage', startsAt: new Date(Date.now() + 60_000).toISOString() } },
    );
    const id = scheduleLiveSession.id as string;
    await teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id });
    for (const p of [teacher, student]) await p.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id });
    const live = subscribe(connect(student.token).client, LIVE, { id, after: '0-0' });
    const texts = () => live.results.map((r) => r.data?.liveSessionEvents.text).filter(Boolean);
    await teacher.ok('mutation($id: ID!, $t: String!) { sendLiveChat(sessionId: $id, text: $t) { id } }', { id, t: 'before' });
    await eventually(() => expect(texts()).toEqual(['before']));

    // The load: queries and mutations of every kind, one after the other, until stopped.
    let phase: Phase = 'before';
    let running = true;
    let chats = 0;
    const answers: Answer[] = [];
    const ops: Record<string, () => Promise<GqlResult>> = {
      school: () => c.stack.gql('{ school { name } }', { tenant: 'demo' }),
      me: () => student.q('{ me { id displayName } }'),
      course: () => student.q('query($id: ID!) { course(id: $id) { title teacher { displayName } } }', { id: course.id }),
      addLesson: () =>
        teacher.q('mutation($c: ID!, $i: AddLessonInput!) { addLesson(courseId: $c, input: $i) { id } }', {
          c: course.id,
          i: { title: `Lesson ${answers.length}`, kind: 'TEXT', content: 'Text' },
        }),
      chat: () =>
        student.q('mutation($id: ID!, $t: String!) { sendLiveChat(sessionId: $id, text: $t) { id } }', { id, t: `chat ${++chats}` }),
    };
    const load = (async () => {
      while (running) {
        for (const [op, run] of Object.entries(ops)) {
          const at = phase;
          const r = await run().catch((err: Error) => ({ status: 0, body: { errors: [{ message: err.message }] } }) as GqlResult);
          answers.push({
            phase: at,
            op,
            status: r.status,
            codes: codes(r),
            services: (r.body.errors ?? []).map((e) => e.extensions?.service),
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const seen = (p: Phase, op: string, code?: string) =>
      answers.some((a) => a.phase === p && a.op === op && (code ? a.codes.includes(code) : a.codes.length === 0));
    await eventually(() => expect(seen('before', 'chat')).toBe(true));
    // Each phase must also have seen the operations that do not need Redis (asserted below).
    const others = (p: Phase) => answers.filter((a) => a.phase === p && a.op !== 'chat').length;
    await eventually(() => expect(others('before')).toBeGreaterThan(0));

    // A session ended before the outage.
    const ended = await c.stack.login(DEMO.users.demoParent.email);
    await c.stack.gql('mutation($t: String!) { logout(refreshToken: $t) }', { tenant: 'demo', variables: { t: ended.refreshToken } });
    const meAs = (token: string) => c.stack.gql('{ me { id } }', { tenant: 'demo', token });
    await eventually(async () => expect(codes(await meAs(ended.accessToken))).toEqual(['UNAUTHENTICATED']));

    await redis.stop({ kill: true });
    phase = 'down';
    await eventually(() => expect(c.stack.transport.bus.available()).toBe(false));
    // The revocation check keeps what it knew.
    const stillEnded = await meAs(ended.accessToken);
    expect([stillEnded.status, codes(stillEnded)]).toEqual([401, ['UNAUTHENTICATED']]);
    // Sign-in works without Redis (its limits count in the process meanwhile).
    const login = await c.stack.login(DEMO.users.demoAdmin.email);
    expect(login.accessToken).toEqual(expect.any(String));
    // A new subscriber is told to come back rather than left waiting on a feed that cannot flow.
    const refused = subscribe(connect(parent.token).client, LIVE, { id, after: '0-0' });
    await eventually(() => expect(refused.completed || refused.error !== undefined).toBe(true));
    const refusal = refused.results[0]?.errors ?? (refused.error as Array<{ extensions?: unknown }>);
    expect(refusal).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', service: 'redis' }) }),
    ]);
    // What follows a committed change (another instance's announcement) waits for Redis in the publisher.
    await new LiveEvents(c.stack.transport.bus).announce(
      { schoolId: DEMO.schools.demo.id, id },
      { kind: LiveSessionEventKind.CHAT_MESSAGE, actorId: teacher.id, text: 'queued while Redis was down' },
      createLogger('test'),
    );
    await eventually(() => {
      expect(answers.filter((a) => a.phase === 'down' && a.op === 'addLesson').length).toBeGreaterThanOrEqual(5);
      expect(seen('down', 'chat', 'SERVICE_UNAVAILABLE')).toBe(true);
    });

    await redis.start();
    phase = 'back';
    // The first chats may still find the courses subgraph's Redis clients reconnecting.
    await eventually(() => expect(seen('back', 'chat')).toBe(true), 30_000);
    await eventually(() => expect(others('back')).toBeGreaterThan(0), 30_000);
    running = false;
    await load;
    await teacher.ok('mutation($id: ID!, $t: String!) { sendLiveChat(sessionId: $id, text: $t) { id } }', { id, t: 'after' });

    // Nothing answered a masked 500; everything but the classroom kept working throughout.
    expect(answers.filter((a) => a.status >= 500 || a.status === 0 || a.codes.includes('INTERNAL_SERVER_ERROR'))).toEqual([]);
    for (const phaseOf of ['before', 'down', 'back'] as const) {
      const inPhase = answers.filter((a) => a.phase === phaseOf && a.op !== 'chat');
      expect(inPhase.length).toBeGreaterThan(0);
      expect(inPhase.filter((a) => a.status !== 200 || a.codes.length > 0)).toEqual([]);
    }
    // The classroom either worked or said that Redis is unavailable, never anything else.
    expect(
      answers.filter(
        (a) => a.op === 'chat' && !(a.codes.length === 0 || (a.codes.join() === 'SERVICE_UNAVAILABLE' && a.services.join() === 'redis')),
      ),
    ).toEqual([]);

    // The subscription went on: every event the stream holds, in order, without a gap, including
    // the announcement made during the outage and every chat that was accepted.
    const truth = await c.stack.transport.bus.history<{ text?: string }>(liveSessionTopic(DEMO.schools.demo.id, id));
    await eventually(() => expect(live.results.map((r) => r.data?.liveSessionEvents.id)).toEqual(truth.map((e) => e.id)), 30_000);
    const accepted = answers.filter((a) => a.op === 'chat' && a.codes.length === 0).length;
    expect(texts().filter((t: string) => t.startsWith('chat '))).toHaveLength(accepted);
    expect(texts()).toEqual(expect.arrayContaining(['before', 'queued while Redis was down', 'after']));
    expect(texts().at(-1)).toBe('after');
    expect(live.results.every((r) => !r.errors)).toBe(true);
    expect(live.completed).toBe(false);
    expect(clients[0].closes).toEqual([]);

    expect(consoleErrors.mock.calls.filter((args) => String(args[0]).includes('Unhandled error event'))).toEqual([]);
  });
});
