import type { EntityManager } from '@mikro-orm/core';
import type { GraphQLFormattedError } from 'graphql';
import { scopeToTenant } from '../../../platform/db/tenant';
import { DEMO } from '../../../platform/demo';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { metric } from '../../../testkit/metrics';
import type { Stack } from '../../../testkit/stack';
import { startCodeSupergraphStack } from '../../../testkit/subscriptions/supergraph-file';
import { connectClient, wsUrlOf, type TestClient } from '../../../testkit/subscriptions/ws-clients';
import { CourseFact } from '../course/course-fact.entity';
import { LiveSessionFact } from '../live-session/live-session-fact.entity';
import { LiveSessionStats } from '../live-session/live-session-stats.entity';

const SCHOOL = DEMO.schools.demo.id;
/** The default DASHBOARD_INTERVAL_MS. */
const INTERVAL = 1000;
/** Delivery through Redis, the gateway and two sockets adds a little jitter to each update's arrival. */
const ARRIVAL_TOLERANCE = 100;

const COURSE_ANALYTICS = `subscription($c: ID!) { courseAnalytics(courseId: $c) { enrolledStudents activeStudents7d averageProgress completionRate } }`;
const SCHOOL_ANALYTICS = `subscription { schoolAnalytics { activeStudents7d enrollments30d revenue30d { amountPiasters } } }`;
const LIVE_ANALYTICS = `subscription($s: ID!) { liveSessionAnalytics(sessionId: $s) { inRoomNow peakInRoom handsRaised chatMessages pollParticipation } }`;

interface Arrival {
  at: number;
  data?: Record<string, any> | null;
  errors?: readonly GraphQLFormattedError[];
}
interface Watch {
  arrivals: Arrival[];
  completed: boolean;
  /** The figures of the latest update. */
  last(): any;
}

/**
 * Live dashboards through the gateway on the production adapters (MariaDB, Redis, RabbitMQ) and
 * in the embedded mode (SQLite, in-process bus and broker): users and courses as in production,
 * analytics fed by their events only (nothing arranged in its tables), real graphql-ws clients.
 * The gateway reads a supergraph composed from the code.
 */
describe.each(['mysql', 'sqlite'] as const)('live dashboards through the gateway (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let classmates: Person[];
  let otherTeacher: Person;
  let course: { id: string; lessonIds: string[] };
  const clients: TestClient[] = [];

  const analyticsEm = (schoolId = SCHOOL): EntityManager =>
    scopeToTenant(stack.service<SubgraphService>('analytics').orm().em.fork(), schoolId);
  const gauge = (name: string) => metric(stack.gatewayUrl.replace(/\/graphql$/, ''), name);

  /** Subscribes as `person`, recording when each update arrives. */
  function watch(person: Person, query: string, variables: Record<string, unknown> = {}, tenant = 'demo'): Watch {
    const client = connectClient(wsUrlOf(stack.gatewayUrl), { token: person.token, tenant });
    clients.push(client);
    const w: Watch = {
      arrivals: [],
      completed: false,
      last: () => {
        const data = w.arrivals.at(-1)?.data;
        return data ? Object.values(data)[0] : undefined;
      },
    };
    client.client.subscribe(
      { query, variables },
      {
        next: (r) => void w.arrivals.push({ at: Date.now(), data: r.data, errors: r.errors }),
        error: () => void (w.completed = true),
        complete: () => void (w.completed = true),
      },
    );
    return w;
  }
  /** Waits until the gateway serves `n` subscriptions (the refused ones are gone by then). */
  const subscribed = (n: number) => eventually(async () => expect(await gauge('subscription_members')).toBe(n));
  const refusal = async (w: Watch) => {
    await eventually(() => expect(w.completed).toBe(true));
    expect(w.arrivals.every((a) => !a.data)).toBe(true);
    return w.arrivals.map((a) => a.errors?.[0]?.extensions?.code);
  };
  const gaps = (arrivals: Arrival[]) => arrivals.slice(1).map((a, i) => a.at - arrivals[i].at);

  beforeAll(async () => {
    stack = await startCodeSupergraphStack(
      dialect,
      // Analytics learns everything from the events here: no first rebuild from the exports.
      { ANALYTICS_INITIAL_REBUILD: 'off' },
      { subgraphs: ['users', 'courses', 'analytics'] },
    );
    people = await demoPeople(stack);
    classmates = await Promise.all(['Salma Nabil', 'Youssef Karim'].map((n) => newMember(stack, people.admin, 'STUDENT', n)));
    otherTeacher = await newMember(stack, people.admin, 'TEACHER', 'Dina Fawzy');
    course = await publishedCourse(people.teacher, { title: 'Dashboards 101', lessons: 2, students: [people.student, ...classmates] });
    await eventually(async () => {
      const known = await analyticsEm().findOne(CourseFact, { id: course.id });
      expect(known?.teacherId).toBe(people.teacher.id);
    }, 30_000);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await eventually(async () => expect(await gauge('subscription_members')).toBe(0));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const complete = (who: Person, lessonId: string) => who.ok('mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: lessonId });
  const courseFigures = async (who: Person) =>
    (
      await who.ok('query($c: ID!) { course(id: $c) { analytics { enrolledStudents activeStudents7d averageProgress completionRate } } }', {
        c: course.id,
      })
    ).course.analytics;

  it("sends a course's new figures to its teacher and the school's admins, at most once a second, the last value last", async () => {
    const teacherWatch = watch(people.teacher, COURSE_ANALYTICS, { c: course.id });
    const adminWatch = watch(people.admin, COURSE_ANALYTICS, { c: course.id });
    await subscribed(2);

    await complete(people.student, course.lessonIds[0]);
    await eventually(() =>
      expect(teacherWatch.last()).toMatchObject({ enrolledStudents: 3, activeStudents7d: 1, averageProgress: 0.5 / 3 }),
    );

    // A stream of completions, more often than once a second: folded, never sent closer than the interval.
    const before = teacherWatch.arrivals.length;
    const steps: Array<[Person, number]> = [
      [people.student, 1],
      [classmates[0], 0],
      [classmates[0], 1],
      [classmates[1], 0],
      [classmates[1], 1],
    ];
    for (const [who, lesson] of steps) {
      await complete(who, course.lessonIds[lesson]);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const final = { enrolledStudents: 3, activeStudents7d: 3, averageProgress: 1, completionRate: 1 };
    await eventually(() => expect(teacherWatch.last()).toEqual(final));
    await eventually(() => expect(adminWatch.last()).toEqual(final));
    expect(await courseFigures(people.teacher)).toEqual(final);
    for (const w of [teacherWatch, adminWatch]) {
      expect(w.arrivals.every((a) => !a.errors)).toBe(true);
      expect(gaps(w.arrivals).every((gap) => gap >= INTERVAL - ARRIVAL_TOLERANCE)).toBe(true);
    }
    // Five completions in about 1.5 s (with their round trips) made fewer updates than completions.
    expect(teacherWatch.arrivals.length - before).toBeLessThan(steps.length);
  });

  it("refuses a teacher of another course, a student, and another school's admin", async () => {
    const other = watch(otherTeacher, COURSE_ANALYTICS, { c: course.id });
    const student = watch(people.student, COURSE_ANALYTICS, { c: course.id });
    const nile = watch(people.nileAdmin, COURSE_ANALYTICS, { c: course.id }, 'nile');
    const studentSchool = watch(people.student, SCHOOL_ANALYTICS);
    const teacherSchool = watch(people.teacher, SCHOOL_ANALYTICS);
    expect(await refusal(other)).toEqual(['FORBIDDEN']);
    expect(await refusal(student)).toEqual(['FORBIDDEN']);
    expect(await refusal(nile)).toEqual(['NOT_FOUND']);
    expect(await refusal(studentSchool)).toEqual(['FORBIDDEN']);
    expect(await refusal(teacherSchool)).toEqual(['FORBIDDEN']);
    // Nothing of this school's course reaches the refused ones when it changes.
    const admin = watch(people.admin, COURSE_ANALYTICS, { c: course.id });
    await subscribed(1);
    const late = await newMember(stack, people.admin, 'STUDENT', 'Late Comer');
    await people.teacher.ok('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', { c: course.id, s: late.id });
    await eventually(() => expect(admin.last()).toMatchObject({ enrolledStudents: 4 }));
    for (const w of [other, student, nile]) expect(w.arrivals.every((a) => !a.data)).toBe(true);
  });

  it("sends the school's figures to its admins", async () => {
    const admin = watch(people.admin, SCHOOL_ANALYTICS);
    await subscribed(1);
    const enroll = async (name: string) => {
      const newcomer = await newMember(stack, people.admin, 'STUDENT', name);
      await people.teacher.ok('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', {
        c: course.id,
        s: newcomer.id,
      });
    };
    await enroll('New Student');
    await eventually(() => expect(admin.last()?.enrollments30d).toBeGreaterThanOrEqual(1));
    const before = admin.last().enrollments30d as number;
    await enroll('Newer Student');
    await eventually(() => expect(admin.last().enrollments30d).toBe(before + 1));
    expect(admin.last().revenue30d).toEqual({ amountPiasters: 0 });
    expect(admin.arrivals.every((a) => !a.errors)).toBe(true);
  });

  describe('live session', () => {
    let sessionId: string;
    const live = (who: Person, mutation: string, variables: Record<string, unknown>) => who.ok(mutation, variables);
    const join = (who: Person) => live(who, 'mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id: sessionId });
    const chat = (who: Person, t: string) =>
      live(who, 'mutation($s: ID!, $t: String!) { sendLiveChat(sessionId: $s, text: $t) { id } }', { s: sessionId, t });
    const sessionFigures = async (who: Person) =>
      (
        await who.ok(
          'query($s: ID!) { liveSession(id: $s) { analytics { inRoomNow peakInRoom handsRaised chatMessages pollParticipation } } }',
          {
            s: sessionId,
          },
        )
      ).liveSession.analytics;

    beforeAll(async () => {
      const { scheduleLiveSession } = await people.teacher.ok(
        'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
        { c: course.id, i: { title: 'Live figures', startsAt: new Date(Date.now() + 60_000).toISOString() } },
      );
      sessionId = scheduleLiveSession.id;
      await eventually(async () => expect(await analyticsEm().findOne(LiveSessionFact, { id: sessionId })).not.toBeNull(), 30_000);
    });

    it('shows who is in the room, its peak, hands, chat and poll participation, live and once ended', async () => {
      const teacherWatch = watch(people.teacher, LIVE_ANALYTICS, { s: sessionId });
      const adminWatch = watch(people.admin, LIVE_ANALYTICS, { s: sessionId });
      const student = watch(people.student, LIVE_ANALYTICS, { s: sessionId });
      const other = watch(otherTeacher, LIVE_ANALYTICS, { s: sessionId });
      const nile = watch(people.nileAdmin, LIVE_ANALYTICS, { s: sessionId }, 'nile');
      expect(await refusal(student)).toEqual(['FORBIDDEN']);
      expect(await refusal(other)).toEqual(['FORBIDDEN']);
      expect(await refusal(nile)).toEqual(['NOT_FOUND']);
      await subscribed(2);

      await people.teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { status } }', { id: sessionId });
      for (const who of [people.teacher, people.student, ...classmates]) await join(who);
      await chat(people.student, 'Good morning!');
      await chat(people.teacher, 'Welcome');
      await live(classmates[0], 'mutation($s: ID!) { raiseHand(sessionId: $s) { id } }', { s: sessionId });
      const { startPoll } = await people.teacher.ok(
        'mutation($s: ID!) { startPoll(sessionId: $s, question: "x² = 4, x = ?", options: ["2", "-2", "±2"]) { id } }',
        { s: sessionId },
      );
      await live(people.student, 'mutation($p: ID!) { votePoll(pollId: $p, option: 2) { id } }', { p: startPoll.id });
      await live(classmates[1], 'mutation($p: ID!) { votePoll(pollId: $p, option: 0) { id } }', { p: startPoll.id });
      await live(classmates[1], 'mutation($id: ID!) { leaveLiveSession(id: $id) { id } }', { id: sessionId });

      // The teacher and three students joined, one left; two of the three students voted.
      const during = { inRoomNow: 3, peakInRoom: 4, handsRaised: 1, chatMessages: 2, pollParticipation: 2 / 3 };
      await eventually(() => expect(teacherWatch.last()).toEqual(during));
      await eventually(() => expect(adminWatch.last()).toEqual(during));
      expect(await sessionFigures(people.teacher)).toEqual(during);
      expect(await sessionFigures(people.admin)).toEqual(during);
      for (const w of [teacherWatch, adminWatch]) {
        expect(w.arrivals.every((a) => !a.errors)).toBe(true);
        expect(gaps(w.arrivals).every((gap) => gap >= INTERVAL - ARRIVAL_TOLERANCE)).toBe(true);
      }

      await people.teacher.ok('mutation($id: ID!) { endLiveSession(id: $id) { status } }', { id: sessionId });
      const ended = { ...during, inRoomNow: 0 };
      await eventually(() => expect(teacherWatch.last()).toEqual(ended));
      await eventually(async () => expect(await analyticsEm().findOne(LiveSessionStats, { id: sessionId })).not.toBeNull());
      expect(await sessionFigures(people.teacher)).toEqual(ended);
      // Someone of another course asking through the session is refused the figures.
      const r = await otherTeacher.q('query($s: ID!) { liveSession(id: $s) { analytics { inRoomNow } } }', { s: sessionId });
      expect(r.body.data?.liveSession?.analytics ?? null).toBeNull();
    });
  });
});
