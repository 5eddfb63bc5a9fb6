import { DEMO } from '../../../platform/demo';
import { demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { gql } from '../../../testkit/graphql-client';
import { metric } from '../../../testkit/metrics';
import { LIVE, startClassroomStack, type ClassroomStack } from '../../../testkit/subscriptions/classroom-stack';
import {
  MULTIPART_ACCEPT,
  readMultipart,
  subscribeOver,
  TRANSPORTS,
  type OpenSubscription,
  type Subscriber,
  type Transport,
} from '../../../testkit/subscriptions/http-clients';
import { liveSessionTopic } from '../../../subgraphs/courses/live-session/live-event';

const demo = DEMO.schools.demo.id;
const HTTP_TRANSPORTS = TRANSPORTS.filter((t) => t !== 'graphql-ws');

/**
 * Subscriptions over every transport of /graphql: graphql-ws, Server-Sent Events (graphql-sse's
 * client) and multipart HTTP (Apollo's protocol, read with fetch), with the real subgraphs and
 * MariaDB, Redis and RabbitMQ. The live classroom journey gives the same events in the same
 * order on each; refusals, bad requests, disconnects and token expiry are those of graphql-ws.
 */
describe('subscriptions over graphql-ws, SSE and multipart HTTP', () => {
  let c: ClassroomStack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let classmate: Person;
  let outsider: Person;
  let course: { id: string };
  const open: OpenSubscription[] = [];
  /** The journey as each transport delivered it to each watcher, normalized (no ids). */
  const journeys = new Map<Transport, unknown[][]>();

  beforeAll(async () => {
    c = await startClassroomStack('mysql');
    people = await demoPeople(c.stack);
    classmate = await newMember(c.stack, people.admin, 'STUDENT', 'Salma Nabil');
    outsider = await newMember(c.stack, people.admin, 'STUDENT', 'Not Enrolled');
    course = await publishedCourse(people.teacher, { title: 'Live physics', students: [people.student, classmate] });
  });
  beforeEach(async () => {
    await eventually(async () => expect([await gauge('subscription_members'), await gauge('subscription_groups')]).toEqual([0, 0]));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((sub) => sub.dispose()));
  });
  afterAll(() => c?.stop());

  const gauge = (name: string, labels?: Record<string, string>) => metric(c.gatewayBase, name, labels);
  const watch = (transport: Transport, who: Subscriber, variables: Record<string, unknown>, query = LIVE) => {
    const sub = subscribeOver(transport, c.stack.gatewayUrl, { tenant: 'demo', ...who }, query, variables);
    open.push(sub);
    return sub;
  };
  const history = (sessionId: string) => c.stack.transport.bus.history<{ kind: string }>(liveSessionTopic(demo, sessionId));
  const newSession = async (title: string) => {
    const { scheduleLiveSession } = await people.teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      { c: course.id, i: { title, startsAt: new Date(Date.now() + 60_000).toISOString() } },
    );
    return scheduleLiveSession.id as string;
  };
  const chat = (who: Person, s: string, t: string) =>
    who.ok('mutation($s: ID!, $t: String!) { sendLiveChat(sessionId: $s, text: $t) { id } }', { s, t });
  const start = (id: string) => people.teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { status } }', { id });
  const join = (who: Person, id: string) => who.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id });
  const codesOf = (sub: OpenSubscription) => sub.results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code));
  const events = (sub: OpenSubscription) => sub.results.map((r) => r.data?.liveSessionEvents);

  it.each(TRANSPORTS)('runs the live classroom journey over %s: every event, in order, resolved across subgraphs', async (transport) => {
    const { teacher, student } = people;
    const id = await newSession('Forces, live');
    const watchers = [teacher, student, classmate].map((p) => watch(transport, { token: p.token }, { id, after: '0-0' }));
    await eventually(async () => expect(await gauge('subscription_members')).toBe(3));

    await start(id);
    for (const p of [teacher, student, classmate]) await join(p, id);
    await chat(student, id, 'Good morning!');
    await classmate.ok('mutation($s: ID!) { raiseHand(sessionId: $s) { id } }', { s: id });
    const { startPoll } = await teacher.ok(
      'mutation($s: ID!) { startPoll(sessionId: $s, question: "F = m × ?", options: ["v", "a", "t"]) { id } }',
      { s: id },
    );
    await student.ok('mutation($p: ID!) { votePoll(pollId: $p, option: 1) { id } }', { p: startPoll.id });
    await classmate.ok('mutation($p: ID!) { votePoll(pollId: $p, option: 1) { id } }', { p: startPoll.id });
    await teacher.ok('mutation($p: ID!) { endPoll(pollId: $p) { id } }', { p: startPoll.id });
    await teacher.ok('mutation($s: ID!, $u: ID) { lowerHand(sessionId: $s, userId: $u) { id } }', { s: id, u: classmate.id });
    await chat(teacher, id, 'See you tomorrow');
    await teacher.ok('mutation($id: ID!) { endLiveSession(id: $id) { status } }', { id });

    const truth = await history(id);
    await eventually(() => watchers.forEach((sub) => expect(events(sub).map((e) => e?.id)).toEqual(truth.map((e) => e.id))));
    const delivered = watchers.map((sub) => {
      expect(sub.results.every((r) => !r.errors)).toBe(true);
      return events(sub).map((e) => [e.kind, e.actor?.displayName ?? null, e.text, e.session.title, e.session.course, e.poll]);
    });
    // Every watcher got the same sequence, with the kinds the bus recorded.
    expect(delivered[1]).toEqual(delivered[0]);
    expect(delivered[2]).toEqual(delivered[0]);
    expect(delivered[0].map(([kind]) => kind)).toEqual(truth.map((e) => e.data.kind));
    journeys.set(transport, delivered);
  });

  it('gives the same events in the same order over every transport', () => {
    const [ws, ...others] = TRANSPORTS.map((t) => journeys.get(t));
    expect(ws?.[0].map((e) => (e as unknown[])[0])).toEqual([
      'SESSION_STARTED',
      'PARTICIPANT_JOINED',
      'PARTICIPANT_JOINED',
      'PARTICIPANT_JOINED',
      'CHAT_MESSAGE',
      'HAND_RAISED',
      'POLL_STARTED',
      'POLL_RESPONSE',
      'POLL_RESPONSE',
      'POLL_ENDED',
      'HAND_LOWERED',
      'CHAT_MESSAGE',
      'SESSION_ENDED',
    ]);
    for (const other of others) expect(other).toEqual(ws);
  });

  it.each(TRANSPORTS)('resumes over %s with `after`: exactly what was missed, then live', async (transport) => {
    const id = await newSession(`Reconnecting over ${transport}`);
    await start(id);
    await join(people.teacher, id);
    const first = watch(transport, { token: people.student.token }, { id, after: '0-0' });
    await chat(people.teacher, id, 'one');
    await eventually(() => expect(events(first).map((e) => e.text)).toEqual([null, null, 'one']));
    await first.dispose();
    await eventually(async () => expect(await gauge('subscription_members')).toBe(0));

    for (const text of ['two', 'three', 'four']) await chat(people.teacher, id, text);
    const again = watch(transport, { token: people.student.token }, { id, after: events(first).at(-1).id });
    await eventually(() => expect(events(again).map((e) => e.text)).toEqual(['two', 'three', 'four']));
    await chat(people.teacher, id, 'five');
    await eventually(() => expect(events(again).map((e) => e.text)).toEqual(['two', 'three', 'four', 'five']));
    expect(events(again).map((e) => e.id)).toEqual((await history(id)).slice(3).map((e) => e.id));
  });

  it('puts identical subscribers of every transport in one group: one feed, one resolution per event', async () => {
    const id = await newSession('Shared feed');
    await start(id);
    await join(people.teacher, id);
    const after = (await history(id)).at(-1)!.id;
    const subs = TRANSPORTS.map((t, i) => watch(t, { token: [people.student, classmate, people.student][i].token }, { id, after }));
    await eventually(async () => expect(await gauge('subscription_members')).toBe(3));
    expect(await gauge('subscription_groups')).toBe(1);
    // The group resolves the event once: its two users (the actor and the course's teacher, both
    // the teacher) each fetched or reused (entity TTL), whatever the number of members.
    const resolutions = async () =>
      (await metric(c.gatewayBase, 'subscription_entity_fetches_total', { service: 'users' })) +
      (await metric(c.gatewayBase, 'subscription_entity_cache_hits_total', { service: 'users' }));
    const before = await resolutions();
    await chat(people.teacher, id, 'for everyone');
    await eventually(() =>
      subs.forEach((sub) =>
        expect(events(sub).map((e) => [e.text, e.actor.displayName])).toEqual([['for everyone', DEMO.users.demoTeacher.displayName]]),
      ),
    );
    expect((await resolutions()) - before).toBe(2);
  });

  it('serves SSE to a GET with the operation in the URL', async () => {
    const id = await newSession('By GET');
    await start(id);
    const url = new URL(c.stack.gatewayUrl);
    url.searchParams.set('query', 'subscription($id: ID!) { liveSessionEvents(sessionId: $id, after: "0-0") { kind } }');
    url.searchParams.set('variables', JSON.stringify({ id }));
    const control = new AbortController();
    const res = await fetch(url, {
      signal: control.signal,
      headers: { accept: 'text/event-stream', 'x-tenant-id': 'demo', authorization: `Bearer ${people.student.token}` },
    });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
    let text = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += Buffer.from(chunk).toString();
      if (text.includes('\n\n')) break;
    }
    expect(text).toBe('event: next\ndata: {"data":{"liveSessionEvents":{"kind":"SESSION_STARTED"}}}\n\n');
  });

  it.each(TRANSPORTS)('refuses over %s students of other courses, another school and anonymous clients', async (transport) => {
    const id = await newSession(`Private over ${transport}`);
    const subs = [
      watch(transport, { token: outsider.token }, { id }),
      watch(transport, { token: people.nileAdmin.token, tenant: 'nile' }, { id }),
      watch(transport, {}, { id }),
    ];
    await eventually(() => subs.forEach((sub) => expect(sub.completed).toBe(true)));
    expect(subs.map(codesOf)).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['UNAUTHENTICATED']]);
    expect(subs.every((sub) => sub.results.every((r) => !r.data?.liveSessionEvents))).toBe(true);
    // Refused after the edge checks: the answer is the stream of the transport asked for, with the errors as its result.
    if (transport !== 'graphql-ws') expect(subs.map((s) => s.status)).toEqual([200, 200, 200]);
  });

  it.each(HTTP_TRANSPORTS)(
    'answers %s subscriptions refused at the edge with the status and error of any HTTP request',
    async (transport) => {
      const id = await newSession(`Edge over ${transport}`);
      const badToken = watch(transport, { token: 'not-a-token' }, { id });
      const unknownSchool = watch(transport, { token: people.student.token, tenant: 'atlantis' }, { id });
      const noSchool = subscribeOver(transport, c.stack.gatewayUrl, { token: people.student.token }, LIVE, { id });
      open.push(noSchool);
      await eventually(() => [badToken, unknownSchool, noSchool].forEach((sub) => expect(sub.results).toHaveLength(1)));
      expect([badToken, unknownSchool, noSchool].map((s) => [s.status, codesOf(s)])).toEqual([
        [401, ['UNAUTHENTICATED']],
        [404, ['TENANT_NOT_FOUND']],
        [400, ['TENANT_REQUIRED']],
      ]);
    },
  );

  it('reports bad requests with a code: over SSE on the stream, over multipart as a JSON answer', async () => {
    const id = await newSession('Bad requests');
    const student = { token: people.student.token };
    // Not a document, and a required variable missing.
    const sseParse = watch('sse', student, {}, 'subscription {');
    const sseVariables = watch('sse', student, {});
    const multipartVariables = watch('multipart', student, {});
    // The operation limits of HTTP operations apply (16 aliases; 15 allowed).
    const aliases = Array.from({ length: 16 }, (_, i) => `k${i}: kind`).join(' ');
    const multipartAliases = watch(
      'multipart',
      student,
      { id },
      `subscription($id: ID!) { liveSessionEvents(sessionId: $id) { ${aliases} } }`,
    );
    await eventually(() =>
      [sseParse, sseVariables, multipartVariables, multipartAliases].forEach((sub) => expect(sub.completed).toBe(true)),
    );
    expect([sseParse, sseVariables].map((s) => [s.status, codesOf(s)])).toEqual([
      [200, ['GRAPHQL_PARSE_FAILED']],
      [200, ['BAD_USER_INPUT']],
    ]);
    expect(multipartVariables.status).toBe(400);
    expect(codesOf(multipartVariables)).toEqual(['BAD_USER_INPUT']);
    expect(multipartAliases.status).toBe(400);
    expect(codesOf(multipartAliases)).toEqual(['MAX_ALIASES_EXCEEDED']);
  });

  it('refuses a subscription over HTTP without an Accept header it can stream, and an unknown multipart spec', async () => {
    const id = await newSession('Wrong accept');
    const post = (accept: string) =>
      gql(c.stack.gatewayUrl, LIVE, { tenant: 'demo', token: people.student.token, variables: { id }, headers: { accept } });
    const json = await post('application/json');
    expect([json.status, json.body.errors?.[0].extensions?.code]).toEqual([400, 'BAD_REQUEST']);
    expect(json.body.errors?.[0].message).toContain('text/event-stream');
    const spec = await post('multipart/mixed;subscriptionSpec="2.0",application/json');
    expect([spec.status, spec.body.errors?.[0].extensions?.code]).toEqual([400, 'BAD_REQUEST']);
    expect(spec.body.errors?.[0].message).toBe('Unsupported multipart subscription spec "2.0"; use subscriptionSpec="1.0"');
    // A multipart client's document that does not parse is Apollo's to answer, in JSON.
    const unparsable = await gql(c.stack.gatewayUrl, 'subscription {', { tenant: 'demo', headers: { accept: MULTIPART_ACCEPT } });
    expect([unparsable.status, unparsable.body.errors?.[0].extensions?.code]).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
  });

  it('serves queries and mutations over HTTP as before, whatever the Accept header', async () => {
    const id = await newSession('Still HTTP');
    for (const accept of [MULTIPART_ACCEPT, 'text/event-stream, application/json', 'application/json']) {
      const query = await gql(c.stack.gatewayUrl, '{ school { slug } }', { tenant: 'demo', headers: { accept } });
      expect([query.status, query.headers['content-type'], query.body]).toEqual([
        200,
        'application/json; charset=utf-8',
        { data: { school: { slug: 'demo' } } },
      ]);
    }
    const mutation = await gql(c.stack.gatewayUrl, 'mutation($id: ID!) { startLiveSession(id: $id) { status } }', {
      tenant: 'demo',
      token: people.teacher.token,
      variables: { id },
      headers: { accept: MULTIPART_ACCEPT },
    });
    expect(mutation.body).toEqual({ data: { startLiveSession: { status: 'LIVE' } } });
  });

  it('frees the server-side subscription when an HTTP client disconnects', async () => {
    const id = await newSession('Walking out');
    const subs = HTTP_TRANSPORTS.map((t) => watch(t, { token: people.student.token }, { id }));
    await eventually(async () => {
      expect(await gauge('subscription_members')).toBe(2);
      expect(await gauge('subscription_http_streams', { transport: 'sse' })).toBe(1);
      expect(await gauge('subscription_http_streams', { transport: 'multipart' })).toBe(1);
    });
    await Promise.all(subs.map((s) => s.dispose()));
    await eventually(async () => {
      expect([await gauge('subscription_members'), await gauge('subscription_groups'), await gauge('subscription_http_streams')]).toEqual([
        0, 0, 0,
      ]);
    });
  });

  it('ends an HTTP subscription when its access token expires, after multipart heartbeats', async () => {
    const id = await newSession('Expiring');
    await start(id);
    // Long enough for a multipart heartbeat (every 5 s) to arrive first.
    const token = await c.token({ userId: people.student.id, roles: ['STUDENT'] }, 9);
    const subs = HTTP_TRANSPORTS.map((t) => watch(t, { token }, { id, after: '0-0' }));
    await eventually(() => subs.forEach((sub) => expect(events(sub).map((e) => e?.kind)).toEqual(['SESSION_STARTED'])));
    await eventually(() => subs.forEach((sub) => expect(sub.completed).toBe(true)), 20_000);
    for (const sub of subs) {
      expect(sub.results.at(-1)?.errors).toEqual([{ message: 'Access token expired', extensions: { code: 'UNAUTHENTICATED' } }]);
    }
    expect(subs[1].heartbeats).toBeGreaterThan(0);
    expect(await metric(c.gatewayBase, 'subscription_socket_closes_total', { reason: 'token_expired' })).toBeGreaterThanOrEqual(2);
  });

  it('streams multipart exactly as Apollo Client reads it', async () => {
    const id = await newSession('Wire format');
    await start(id);
    const res = await fetch(c.stack.gatewayUrl, {
      method: 'POST',
      headers: {
        accept: MULTIPART_ACCEPT,
        'content-type': 'application/json',
        'x-tenant-id': 'demo',
        authorization: `Bearer ${people.student.token}`,
      },
      body: JSON.stringify({
        query: 'subscription($id: ID!) { liveSessionEvents(sessionId: $id, after: "0-0") { kind } }',
        variables: { id },
      }),
    });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"']);
    const parts: unknown[] = [];
    // The first part, then hang up.
    await readMultipart(res, res.headers.get('content-type')!, (part) => (parts.push(part), false));
    expect(parts).toEqual([{ payload: { data: { liveSessionEvents: { kind: 'SESSION_STARTED' } } } }]);
    await eventually(async () => expect(await gauge('subscription_members')).toBe(0));
  });
});
