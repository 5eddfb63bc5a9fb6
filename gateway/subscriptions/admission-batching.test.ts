import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createInternalContextSigner, vouchFor, type InternalContext } from '../../platform/auth/internal-context';
import { keySetFromJwks } from '../../platform/auth/keys';
import { DEMO } from '../../platform/demo';
import { createLogger } from '../../platform/logger';
import { Person as KnownPerson } from '../../platform/people/person.entity';
import { Course } from '../../subgraphs/courses/course/course.entity';
import { Enrollment } from '../../subgraphs/courses/enrollment/enrollment.entity';
import { LiveSessionEventKind } from '../../subgraphs/courses/live-session/live-event';
import { LiveEvents } from '../../subgraphs/courses/live-session/live-events';
import { coursesEm, demoPeople, publishedCourse } from '../../testkit/courses';
import { eventually } from '../../testkit/eventually';
import { testKeys } from '../../testkit/keys';
import { metric } from '../../testkit/metrics';
import { demoStudent, liveSessionBatch } from '../../testkit/subscriptions/admission-fixtures';
import { LIVE, startClassroomStack, type ClassroomStack } from '../../testkit/subscriptions/classroom-stack';
import { subscribe, type TestClient, type TestSubscription } from '../../testkit/subscriptions/ws-clients';
import { AdmissionBatcher } from './admission-batcher';
import { postJson } from './entity-fetcher';

const demo = DEMO.schools.demo;
const nile = DEMO.schools.nile;

/**
 * A class starting: hundreds of subscribers of two schools at once, some not allowed. The
 * gateway gathers their admissions into a few calls to courses' batch admission, and each
 * subscriber still gets the verdict of its own identity.
 */
describe('batched subscription admissions', () => {
  let c: ClassroomStack;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    // A wide window, so that the whole burst is gathered however slowly this machine handles it.
    c = await startClassroomStack('mysql', { SUBSCRIPTION_ADMISSION_BATCH_MS: '1000' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await c?.stop();
  });

  const newSession = async (person: { ok: (q: string, v?: Record<string, unknown>) => Promise<any> }, courseId: string) => {
    const { scheduleLiveSession } = await person.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      { c: courseId, i: { title: 'Opening lecture', startsAt: new Date(Date.now() + 60_000).toISOString() } },
    );
    return scheduleLiveSession.id as string;
  };
  // Students known to courses' people read model, as real ones are: an enrollment of a student
  // courses does not know is removed by its clean-up after any people backfill (one may arrive
  // at any moment, asked for by another service), which would turn allowed subscribers away.
  const enroll = async (schoolId: string, courseId: string, students: string[]) => {
    const em = coursesEm(c.stack, schoolId);
    for (const studentId of students) {
      em.create(KnownPerson, {
        id: studentId,
        schoolId,
        roles: ['STUDENT'],
        displayName: `Student ${studentId.slice(0, 8)}`,
        observedAt: new Date(),
      });
      em.create(Enrollment, { schoolId, course: em.getReference(Course, courseId), studentId });
    }
    await em.flush();
  };

  it('admits a burst of 200 across two schools in a few calls, each subscriber judged as itself', async () => {
    const people = await demoPeople(c.stack);
    const demoCourse = await publishedCourse(people.teacher, { title: 'Big opening' });
    const nileCourse = await publishedCourse(people.nileAdmin, { title: 'Nile opening' });
    const demoSession = await newSession(people.teacher, demoCourse.id);
    const nileSession = await newSession(people.nileAdmin, nileCourse.id);
    const demoEnrolled = Array.from({ length: 100 }, () => randomUUID());
    const nileEnrolled = Array.from({ length: 40 }, () => randomUUID());
    await enroll(demo.id, demoCourse.id, demoEnrolled);
    await enroll(nile.id, nileCourse.id, nileEnrolled);

    // Allowed: enrolled students of each school in their own session. Refused: demo students of
    // no course, and nile students (enrolled in nile's course) asking for demo's session.
    type Case = { userId: string; school: 'demo' | 'nile'; sessionId: string; allowed: boolean };
    const cases: Case[] = [
      ...demoEnrolled.map((userId) => ({ userId, school: 'demo' as const, sessionId: demoSession, allowed: true })),
      ...Array.from({ length: 40 }, () => ({ userId: randomUUID(), school: 'demo' as const, sessionId: demoSession, allowed: false })),
      ...nileEnrolled.map((userId) => ({ userId, school: 'nile' as const, sessionId: nileSession, allowed: true })),
      ...nileEnrolled.slice(0, 20).map((userId) => ({ userId, school: 'nile' as const, sessionId: demoSession, allowed: false })),
    ];
    // Interleaved, so that allowed and refused subscribers of both schools arrive mixed.
    cases.sort(() => Math.random() - 0.5);
    const tokens = await Promise.all(cases.map((k) => c.token({ userId: k.userId, roles: ['STUDENT'], school: k.school })));

    const calls = () => metric(c.gatewayBase, 'subscription_admission_calls_total', { service: 'courses' });
    // Calls that reached courses, by its own count (nothing else calls it over HTTP meanwhile).
    const coursesCalls = () => metric(c.stack.url('courses'), 'http_request_duration_seconds_count', { method: 'POST', route: '/graphql' });
    const [callsBefore, coursesBefore] = [await calls(), await coursesCalls()];

    // Every client connects first, then all subscribe at once: the burst of a class starting.
    // From the start of the session's stream, so no event can pass before a feed is open.
    const connected = await Promise.all(
      cases.map(
        (k, i) =>
          new Promise<Client>((resolve, reject) => {
            const client: Client = createClient({
              url: c.wsUrl,
              webSocketImpl: WebSocket,
              lazy: false,
              retryAttempts: 0,
              connectionParams: { authorization: `Bearer ${tokens[i]}`, tenant: k.school },
              on: { connected: () => resolve(client), closed: (event) => reject(new Error(`closed: ${JSON.stringify(event)}`)) },
            });
            clients.push({ client, closes: [], dispose: async () => client.dispose() });
          }),
      ),
    );
    const subs: TestSubscription[] = cases.map((k, i) => subscribe(connected[i], LIVE, { id: k.sessionId, after: '0-0' }));
    const refused = cases.map((k, i) => [k, subs[i]] as const).filter(([k]) => !k.allowed);
    const admitted = cases.map((k, i) => [k, subs[i]] as const).filter(([k]) => k.allowed);
    await eventually(async () => {
      expect(await metric(c.gatewayBase, 'subscription_members')).toBe(admitted.length);
      refused.forEach(([, sub]) => expect(sub.completed).toBe(true));
    }, 30_000);

    const gatewayCalls = (await calls()) - callsBefore;
    // At least one per school (a batch never mixes schools); far fewer than one per subscriber.
    expect(gatewayCalls).toBeGreaterThanOrEqual(2);
    expect(gatewayCalls).toBeLessThanOrEqual(10);
    expect((await coursesCalls()) - coursesBefore).toBe(gatewayCalls);
    for (const [, sub] of refused) {
      expect(sub.results.map((r) => r.errors?.map((e) => e.extensions?.code))).toEqual([['FORBIDDEN']]);
      expect(sub.results[0].errors![0].path).toEqual(['liveSessionEvents']);
    }

    // Every admitted subscriber gets its own session's events, and only those.
    const live = new LiveEvents(c.stack.transport.bus);
    await live.publish({ kind: LiveSessionEventKind.CHAT_MESSAGE, schoolId: demo.id, sessionId: demoSession, text: 'demo hello' });
    await live.publish({ kind: LiveSessionEventKind.CHAT_MESSAGE, schoolId: nile.id, sessionId: nileSession, text: 'nile hello' });
    const texts = (sub: TestSubscription) => sub.results.map((r) => r.data?.liveSessionEvents.text).filter(Boolean);
    await eventually(() => admitted.forEach(([k, sub]) => expect(texts(sub)).toEqual([`${k.school} hello`])), 30_000);
    for (const [, sub] of admitted) {
      expect(sub.completed).toBe(false);
      expect(sub.results.every((r) => !r.errors)).toBe(true);
    }
  });

  it('courses admits each identity a call vouches for, and none of a body the call does not vouch for', async () => {
    const people = await demoPeople(c.stack);
    const course = await publishedCourse(people.teacher, { title: 'Vouched opening' });
    const session = await newSession(people.teacher, course.id);
    const [enrolled, stranger] = [randomUUID(), randomUUID()];
    await enroll(demo.id, course.id, [enrolled]);
    const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(c.stack.keys.internal)));
    const student = (id: string, school: { id: string; slug: string } = demo): InternalContext => ({
      tenant: { id: school.id, slug: school.slug },
      user: { id, roles: ['STUDENT'] },
    });
    const admit = async (identities: string[], vouches: string | undefined) => {
      const context = await sign({ tenant: { id: demo.id, slug: demo.slug }, vouches }, 'courses');
      const body = JSON.stringify({
        query: 'query($r: [LiveSessionEventsAdmissionRequest!]!) { liveSessionEventsAdmissions(requests: $r) { sharing } }',
        variables: { r: identities.map((viewer) => ({ sessionId: session, viewer })) },
      });
      const res = await fetch(`${c.stack.url('courses')}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-manassa-context': context },
        body,
      });
      const json = (await res.json()) as {
        data: { liveSessionEventsAdmissions: unknown[] };
        errors?: { path: unknown[]; extensions: { code: string } }[];
      };
      const codes = identities.map((_, i) => json.errors?.find((e) => e.path[1] === i)?.extensions.code ?? null);
      return { admitted: json.data.liveSessionEventsAdmissions.map(Boolean), codes };
    };

    // The enrolled student is admitted; one not enrolled, and one of another school, are each refused.
    const vouched = vouchFor([student(enrolled), student(stranger), student(enrolled, nile)]);
    expect(await admit(vouched.identities, vouched.vouches)).toEqual({
      admitted: [true, false, false],
      codes: [null, 'FORBIDDEN', 'FORBIDDEN'],
    });
    // The stranger claiming to be a school admin, or the list reordered: every element is refused.
    const promoted = JSON.stringify({ ...JSON.parse(vouched.identities[1]), roles: ['SCHOOL_ADMIN'] });
    for (const body of [[vouched.identities[0], promoted, vouched.identities[2]], [...vouched.identities].reverse()]) {
      expect(await admit(body, vouched.vouches)).toEqual({ admitted: [false, false, false], codes: Array(3).fill('UNAUTHENTICATED') });
    }
    // Plain identities in a call that vouches for none are refused too; each one's own signed context is verified.
    expect(await admit(vouched.identities.slice(0, 1), undefined)).toEqual({ admitted: [false], codes: ['UNAUTHENTICATED'] });
    expect(await admit([await sign(student(enrolled), 'courses')], undefined)).toEqual({ admitted: [true], codes: [null] });
  });
});

/** The batcher itself against a subgraph that is down: every waiting subscriber gets a coded answer, none hangs. */
describe('AdmissionBatcher with the subgraph down', () => {
  const agents = { http: new http.Agent({ keepAlive: true }), https: undefined as never };
  afterAll(() => agents.http.destroy());

  const batcherFor = async (url: string, onCall: () => void) => {
    const keys = await testKeys();
    return new AdmissionBatcher({
      sign: createInternalContextSigner(await keySetFromJwks(JSON.parse(keys.internal))),
      logger: createLogger('test', 'silent'),
      windowMs: 5,
      maxBatch: 50,
      admissionTimeoutMs: 400,
      backoff: () => 50,
      onCall,
      post: (_service, body, context, timeoutMs) => postJson(new URL(url), body, { 'x-manassa-context': context }, agents, timeoutMs),
    });
  };

  it.each([
    ['refusing connections', 'closed'],
    ['cutting every call mid-request', 'cutting'],
  ] as const)('answers every waiting subscriber SERVICE_UNAVAILABLE when the subgraph is %s', async (_name, mode) => {
    const server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    if (mode === 'closed') await new Promise((resolve) => server.close(resolve));
    let calls = 0;
    const batcher = await batcherFor(`http://127.0.0.1:${port}/graphql`, () => calls++);
    try {
      const answers = await Promise.all(
        Array.from({ length: 120 }, (_, i) => batcher.admit('courses', liveSessionBatch, { id: `session-${i % 3}` }, demoStudent(i))),
      );
      for (const answer of answers) {
        expect(answer).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } })] });
      }
      // Batched even while failing: 120 admissions, at most 50 per call, retried a few times.
      expect(calls).toBeGreaterThanOrEqual(3);
      expect(calls).toBeLessThan(120);
    } finally {
      batcher.close();
      if (mode === 'cutting') await new Promise((resolve) => server.close(resolve));
    }
  });
});
