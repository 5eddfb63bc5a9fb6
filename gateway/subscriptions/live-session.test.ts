import { randomUUID } from 'node:crypto';
import { DEMO } from '../../platform/demo';
import { eventually } from '../../testkit/eventually';
import { Course } from '../../subgraphs/courses/course/course.entity';
import { coursesEm, demoPeople, newMember, publishedCourse, type Person } from '../../testkit/courses';
import { Enrollment } from '../../subgraphs/courses/enrollment/enrollment.entity';
import { liveSessionTopic } from '../../subgraphs/courses/live-session/live-event';
import { LIVE, startClassroomStack, type ClassroomStack } from '../../testkit/subscriptions/classroom-stack';
import { metric } from '../../testkit/metrics';
import { connectClient, subscribe, type TestClient, type TestSubscription } from '../../testkit/subscriptions/ws-clients';

const demo = DEMO.schools.demo.id;

/**
 * Live classrooms through the gateway with the real subgraphs: courses owns
 * `Subscription.liveSessionEvents` (fed by its bus topic), users resolves every `actor` and
 * `teacher`; real graphql-ws clients. Production adapters (MariaDB, Redis, RabbitMQ) and the
 * embedded mode (SQLite, in-process bus) run the same code.
 */
describe.each(['mysql', 'sqlite'] as const)('live classroom subscriptions (%s)', (dialect) => {
  let c: ClassroomStack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let classmates: Person[];
  let outsider: Person;
  let course: { id: string };
  const clients: TestClient[] = [];

  beforeAll(async () => {
    c = await startClassroomStack(dialect);
    people = await demoPeople(c.stack);
    classmates = await Promise.all(['Salma Nabil', 'Youssef Karim'].map((n) => newMember(c.stack, people.admin, 'STUDENT', n)));
    outsider = await newMember(c.stack, people.admin, 'STUDENT', 'Not Enrolled');
    course = await publishedCourse(people.teacher, { title: 'Live algebra', students: [people.student, ...classmates] });
  });
  beforeEach(async () => {
    await eventually(async () => expect([await gauge('subscription_members'), await gauge('subscription_groups')]).toEqual([0, 0]));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  afterAll(() => c.stop());

  const gauge = (name: string) => metric(c.gatewayBase, name);
  const watch = (person: { token: string }, variables: Record<string, unknown>, tenant = 'demo'): TestSubscription => {
    const client = connectClient(c.wsUrl, { token: person.token, tenant });
    clients.push(client);
    return subscribe(client.client, LIVE, variables);
  };
  const history = <T = { kind: string }>(sessionId: string) => c.stack.transport.bus.history<T>(liveSessionTopic(demo, sessionId));
  const newSession = async (title: string) => {
    const { scheduleLiveSession } = await people.teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      {
        c: course.id,
        i: { title, startsAt: new Date(Date.now() + 60_000).toISOString() },
      },
    );
    return scheduleLiveSession.id as string;
  };
  const chat = (who: Person, sessionId: string, text: string) =>
    who.ok('mutation($s: ID!, $t: String!) { sendLiveChat(sessionId: $s, text: $t) { id } }', { s: sessionId, t: text });
  const start = (id: string) => people.teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { status } }', { id });
  const join = (who: Person, id: string) => who.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id });

  it('gives every watcher every classroom event in order, with the actor and the course filled', async () => {
    const { teacher, admin, student, parent } = people;
    const id = await newSession('Equations, live');
    // From the start of the session's stream: nothing the class does can be missed.
    const subs = [teacher, admin, student, ...classmates, parent].map((p) => watch(p, { id, after: '0-0' }));
    await eventually(async () => expect(await gauge('subscription_members')).toBe(6));
    // Students share one group; the teacher, the admin and the parent have their own (other roles).
    expect(await gauge('subscription_groups')).toBe(4);

    await start(id);
    for (const p of [teacher, student, ...classmates]) await join(p, id);
    await chat(student, id, 'Good morning!');
    await classmates[0].ok('mutation($s: ID!) { raiseHand(sessionId: $s) { id } }', { s: id });
    const { startPoll } = await teacher.ok(
      'mutation($s: ID!) { startPoll(sessionId: $s, question: "x² = 4, x = ?", options: ["2", "-2", "±2"]) { id } }',
      { s: id },
    );
    await student.ok('mutation($p: ID!) { votePoll(pollId: $p, option: 2) { id } }', { p: startPoll.id });
    await classmates[1].ok('mutation($p: ID!) { votePoll(pollId: $p, option: 0) { id } }', { p: startPoll.id });
    await teacher.ok('mutation($p: ID!) { endPoll(pollId: $p) { id } }', { p: startPoll.id });
    await teacher.ok('mutation($s: ID!, $u: ID) { lowerHand(sessionId: $s, userId: $u) { id } }', { s: id, u: classmates[0].id });
    await chat(teacher, id, 'Well done, see you tomorrow');
    await teacher.ok('mutation($id: ID!) { endLiveSession(id: $id) { status } }', { id });

    const truth = await history<{ kind: string; actorId?: string }>(id);
    expect(truth.map((e) => e.data.kind)).toEqual(
      expect.arrayContaining([
        'SESSION_STARTED',
        'PARTICIPANT_JOINED',
        'CHAT_MESSAGE',
        'HAND_RAISED',
        'POLL_STARTED',
        'POLL_RESPONSE',
        'POLL_ENDED',
        'HAND_LOWERED',
        'SESSION_ENDED',
      ]),
    );
    const names = new Map([
      [teacher.id, DEMO.users.demoTeacher.displayName],
      [admin.id, DEMO.users.demoAdmin.displayName],
      [student.id, DEMO.users.demoStudent.displayName],
      [classmates[0].id, 'Salma Nabil'],
      [classmates[1].id, 'Youssef Karim'],
    ]);
    await eventually(() =>
      subs.forEach((sub) => expect(sub.results.map((r) => r.data?.liveSessionEvents.id)).toEqual(truth.map((e) => e.id))),
    );
    for (const sub of subs) {
      expect(sub.results.every((r) => !r.errors)).toBe(true);
      for (const [i, { data }] of sub.results.entries()) {
        const event = data.liveSessionEvents;
        expect(event.kind).toBe(truth[i].data.kind);
        expect(event.session.course).toEqual({ title: 'Live algebra', teacher: { displayName: DEMO.users.demoTeacher.displayName } });
        const actorId = truth[i].data.actorId;
        expect(event.actor).toEqual(actorId ? { id: actorId, displayName: names.get(actorId) } : null);
      }
      const ended = sub.results.find((r) => r.data.liveSessionEvents.kind === 'POLL_ENDED')!;
      expect(ended.data.liveSessionEvents.poll).toEqual({ question: 'x² = 4, x = ?', options: ['2', '-2', '±2'], counts: [1, 0, 1] });
      const chats = sub.results.filter((r) => r.data.liveSessionEvents.kind === 'CHAT_MESSAGE').map((r) => r.data.liveSessionEvents);
      expect(chats.map((e) => [e.actor.displayName, e.text])).toEqual([
        [DEMO.users.demoStudent.displayName, 'Good morning!'],
        [DEMO.users.demoTeacher.displayName, 'Well done, see you tomorrow'],
      ]);
    }
  });

  it('gives a student who drops and reconnects with `after` exactly what was missed', async () => {
    const id = await newSession('Reconnecting');
    await start(id);
    await join(people.teacher, id);
    const first = watch(people.student, { id, after: '0-0' });
    await chat(people.teacher, id, 'one');
    await eventually(() => expect(first.results.map((r) => r.data.liveSessionEvents.text)).toEqual([null, null, 'one']));
    await Promise.all(clients.splice(0).map((client) => client.dispose()));

    for (const text of ['two', 'three', 'four']) await chat(people.teacher, id, text);
    const again = watch(people.student, { id, after: first.results.at(-1)!.data.liveSessionEvents.id });
    await eventually(() => expect(again.results.map((r) => r.data.liveSessionEvents.text)).toEqual(['two', 'three', 'four']));
    await chat(people.teacher, id, 'five');
    await eventually(() => expect(again.results.map((r) => r.data.liveSessionEvents.text)).toEqual(['two', 'three', 'four', 'five']));
    expect(again.results.map((r) => r.data.liveSessionEvents.id)).toEqual((await history(id)).slice(3).map((e) => e.id));
  });

  it("refuses another school's members, students of other courses and anonymous clients", async () => {
    const id = await newSession('Private class');
    const notEnrolled = watch(outsider, { id });
    const otherSchool = watch(people.nileAdmin, { id }, 'nile');
    const anonymous = connectClient(c.wsUrl, { tenant: 'demo' });
    clients.push(anonymous);
    const nobody = subscribe(anonymous.client, LIVE, { id });
    await eventually(() => [notEnrolled, otherSchool, nobody].forEach((sub) => expect(sub.completed).toBe(true)));
    expect([notEnrolled, otherSchool, nobody].map((sub) => sub.results.map((r) => r.errors?.[0].extensions?.code))).toEqual([
      ['FORBIDDEN'],
      ['FORBIDDEN'],
      ['UNAUTHENTICATED'],
    ]);
    expect([notEnrolled, otherSchool, nobody].every((sub) => sub.results.every((r) => !r.data?.liveSessionEvents))).toBe(true);
  });

  it('shows a rename in the next event once the entity TTL (SUBSCRIPTION_ENTITY_TTL_MS, 1 s) has passed', async () => {
    const [, renamed] = classmates;
    const id = await newSession('Names');
    await start(id);
    await join(renamed, id);
    const sub = watch(people.student, { id, after: (await history(id)).at(-1)!.id });
    await eventually(async () => expect(await gauge('subscription_members')).toBe(1));
    const actors = () => sub.results.map((r) => [r.data.liveSessionEvents.text, r.data.liveSessionEvents.actor.displayName]);
    const rename = (displayName: string) =>
      renamed.ok('mutation($i: UpdateMeInput!) { updateMe(input: $i) { id } }', { i: { displayName } });
    try {
      await chat(renamed, id, 'before');
      await eventually(() => expect(actors()).toEqual([['before', 'Youssef Karim']]));
      await rename('Youssef K.');
      // The actor was read (and kept) before the rename; the TTL counts from that read.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await chat(renamed, id, 'after');
      await eventually(() =>
        expect(actors()).toEqual([
          ['before', 'Youssef Karim'],
          ['after', 'Youssef K.'],
        ]),
      );
    } finally {
      await rename('Youssef Karim');
    }
  });

  it('gives 200 identical subscribers one upstream subscription and one entity resolution per event', async () => {
    const id = await newSession('Big lecture');
    await start(id);
    await join(people.teacher, id);
    // 200 students enrolled in the course (arranged in its database), each with their own token.
    const crowd = Array.from({ length: 200 }, () => randomUUID());
    const em = coursesEm(c.stack);
    for (const studentId of crowd) em.create(Enrollment, { schoolId: demo, course: em.getReference(Course, course.id), studentId });
    await em.flush();
    const after = (await history(id)).at(-1)!.id;
    const opens = await metric(c.gatewayBase, 'subscription_upstream_opens_total', { service: 'courses' });
    const subs = await Promise.all(
      crowd.map(async (studentId) => watch({ token: await c.token({ userId: studentId, roles: ['STUDENT'] }) }, { id, after })),
    );
    await eventually(async () => expect(await gauge('subscription_members')).toBe(200));
    expect(await gauge('subscription_groups')).toBe(1);

    // Each event is resolved once for the group: its two users (the actor and the course's
    // teacher, both the teacher) each fetched or reused from an earlier event (entity TTL).
    const fetches = () => metric(c.gatewayBase, 'subscription_entity_fetches_total', { service: 'users' });
    const resolutions = async () =>
      (await fetches()) + (await metric(c.gatewayBase, 'subscription_entity_cache_hits_total', { service: 'users' }));
    // Earlier events (this test's setup, the test before) may have left the teacher fresh in the
    // entity cache; once its TTL (1 s default) has lapsed the first slide must fetch it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const [fetchesBefore, resolutionsBefore] = [await fetches(), await resolutions()];
    // Calls that reached the users subgraph, by its own count.
    const usersCalls = () => metric(c.stack.url('users'), 'http_request_duration_seconds_count', { method: 'POST', route: '/graphql' });
    const usersBefore = await usersCalls();
    for (let i = 1; i <= 5; i++) {
      await chat(people.teacher, id, `slide ${i}`);
      await eventually(() => subs.forEach((sub) => expect(sub.results).toHaveLength(i)));
    }
    expect((await metric(c.gatewayBase, 'subscription_upstream_opens_total', { service: 'courses' })) - opens).toBe(1);
    expect((await resolutions()) - resolutionsBefore).toBe(2 * 5);
    const fetched = (await fetches()) - fetchesBefore;
    expect(fetched).toBeGreaterThanOrEqual(1);
    expect((await usersCalls()) - usersBefore).toBe(fetched);
    for (const sub of subs) {
      expect(sub.results.map((r) => [r.data.liveSessionEvents.text, r.data.liveSessionEvents.actor.displayName])).toEqual(
        Array.from({ length: 5 }, (_, i) => [`slide ${i + 1}`, DEMO.users.demoTeacher.displayName]),
      );
    }
  });
});
