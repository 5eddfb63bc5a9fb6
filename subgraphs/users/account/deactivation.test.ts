import { codes, demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { LIVE } from '../../../testkit/subscriptions/classroom-stack';
import { connectClient, subscribe, wsUrlOf, type TestClient, type TestSubscription } from '../../../testkit/subscriptions/ws-clients';

const SESSION_ENDED = { code: 4403, reason: 'Session has ended; sign in again' };

/**
 * A school admin deactivates a student in the middle of a live class, through the gateway with
 * the real users and courses subgraphs and graphql-ws clients: the student's open
 * `liveSessionEvents` subscription closes with 4403, and their access tokens (every session) are
 * refused at once, over HTTP and for a new connection, while a classmate's subscription goes on.
 * Production adapters (MariaDB, Redis, RabbitMQ) and the embedded mode (SQLite, in-process bus).
 */
describe.each(['mysql', 'sqlite'] as const)('deactivation ends a person’s sessions and subscriptions (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users', 'courses'] });
    people = await demoPeople(stack);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(() => stack.stop());

  const watch = (who: Person, sessionId: string): { client: TestClient; sub: TestSubscription } => {
    const client = connectClient(wsUrlOf(stack.gatewayUrl), { token: who.token, tenant: 'demo' });
    clients.push(client);
    return { client, sub: subscribe(client.client, LIVE, { id: sessionId, after: '0-0' }) };
  };
  const kinds = (sub: TestSubscription) => sub.results.map((r) => r.data?.liveSessionEvents?.kind);
  /** A live session, started, of a new course of the demo teacher with `students` enrolled. */
  const liveClass = async (title: string, students: Person[]) => {
    const course = await publishedCourse(people.teacher, { title, students });
    const { scheduleLiveSession } = await people.teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      { c: course.id, i: { title, startsAt: new Date(Date.now() + 60_000).toISOString() } },
    );
    return scheduleLiveSession.id as string;
  };
  const start = (sessionId: string) => people.teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { status } }', { id: sessionId });

  it('closes the open subscription with 4403 and refuses every token of the person at once', async () => {
    const { admin, teacher, student: classmate } = people;
    const leaving = await newMember(stack, admin, 'STUDENT', 'Leaving Student');
    const sessionId = await liveClass('Live chemistry', [leaving, classmate]);
    const theirs = watch(leaving, sessionId);
    const others = watch(classmate, sessionId);
    await start(sessionId);
    await eventually(() => expect([kinds(theirs.sub), kinds(others.sub)]).toEqual([['SESSION_STARTED'], ['SESSION_STARTED']]));

    const { deactivateUser } = await admin.ok('mutation($id: ID!) { deactivateUser(id: $id) { id active } }', { id: leaving.id });
    expect(deactivateUser).toEqual({ id: leaving.id, active: false });

    await eventually(() => expect(theirs.client.closes).toEqual([SESSION_ENDED]));
    // Once the gateway closed the connection it refuses the session's tokens too.
    const me = await leaving.q('{ me { id } }');
    expect(me.status).toBe(401);
    expect(codes(me)).toEqual(['UNAUTHENTICATED']);
    const reconnect = watch(leaving, sessionId);
    await eventually(() => expect(reconnect.client.closes).toEqual([SESSION_ENDED]));
    expect(reconnect.sub.results).toEqual([]);

    // The class goes on for everyone else.
    await teacher.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id: sessionId });
    await eventually(() => expect(kinds(others.sub)).toEqual(['SESSION_STARTED', 'PARTICIPANT_JOINED']));
    expect(others.client.closes).toEqual([]);
    expect(kinds(theirs.sub)).toEqual(['SESSION_STARTED']);
  });

  it('closes the subscriptions of every session of the person (each device), and refuses each token', async () => {
    const leaving = await newMember(stack, people.admin, 'STUDENT', 'Three Devices');
    const { email } = (await leaving.ok('{ me { email } }')).me as { email: string };
    const signIn = async () => {
      const r = await stack.gql('mutation($e: String!) { login(email: $e, password: "a-long-password") { accessToken } }', {
        tenant: 'demo',
        variables: { e: email },
      });
      return { ...leaving, token: r.body.data.login.accessToken as string };
    };
    const devices = [leaving, await signIn(), await signIn()];
    const sessionId = await liveClass('Live biology', [leaving]);
    const watching = devices.map((device) => watch(device, sessionId));
    await start(sessionId);
    await eventually(() =>
      expect(watching.map((w) => kinds(w.sub))).toEqual([['SESSION_STARTED'], ['SESSION_STARTED'], ['SESSION_STARTED']]),
    );

    await people.admin.ok('mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: leaving.id });
    await eventually(() => expect(watching.map((w) => w.client.closes)).toEqual([[SESSION_ENDED], [SESSION_ENDED], [SESSION_ENDED]]));
    for (const device of devices) expect(codes(await device.q('{ me { id } }'))).toEqual(['UNAUTHENTICATED']);
  });
});
