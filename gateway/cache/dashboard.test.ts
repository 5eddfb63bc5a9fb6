import { randomUUID } from 'node:crypto';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER, type InternalContextSigner } from '../../platform/auth/internal-context';
import { keySetFromJwks } from '../../platform/auth/keys';
import { DEMO } from '../../platform/demo';
import { coursesEvents, coursesService, demoPeople, knownToCourses, newMember, publishedCourse, type Person } from '../../testkit/courses';
import type { TestDialect } from '../../testkit/database';
import { eventually } from '../../testkit/eventually';
import { request } from '../../testkit/graphql-client';
import { metric } from '../../testkit/metrics';
import { startCacheStack, stopCacheStack } from '../../testkit/cache-stack';
import type { Stack } from '../../testkit/stack';

/**
 * A teacher's whole dashboard (bench/gateway-queries.ts) through the stack with the cache and the
 * deduplication on, embedded and in production mode: each change of what it shows is made behind
 * the gateway (straight to the courses subgraph, so no read-your-writes helps) and must be on the
 * teacher's next read once its event has reached the gateway; before, the cached answer stands
 * (which shows the event is what ends it). Relays do not poll: the test drains the outbox.
 */
const DASHBOARD = `query TeacherDashboard {
  me {
    displayName
    teachingCourses {
      id
      title
      lessons { id title kind }
      liveSessions { id title startsAt status }
      enrollments { totalCount edges { node { status progress student { displayName } } } }
    }
  }
  courses { edges { node { id title teacher { displayName } lessons { id title } liveSessions { id title startsAt } } } }
}`;

interface DashboardCourse {
  id: string;
  title: string;
  lessons: Array<{ id: string; title: string; kind?: string }>;
  liveSessions: Array<{ id: string; title: string; startsAt: string; status?: string }>;
  enrollments?: { totalCount: number; edges: Array<{ node: { status: string; progress: number; student: { displayName: string } } }> };
}
interface Dashboard {
  me: { displayName: string; teachingCourses: DashboardCourse[] };
  courses: { edges: Array<{ node: DashboardCourse }> };
}

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

describe.each<TestDialect>(['sqlite', 'mysql'])('teacher dashboard through the cache (%s)', (dialect) => {
  let stack: Stack;
  let base: string;
  let sign: InternalContextSigner;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let teacher: Person;
  let otherTeacher: Person;
  let student: Person;
  let newStudent: Person;
  let course: { id: string; lessonIds: string[] };
  let draftId: string;
  let sessionId: string;

  beforeAll(async () => {
    stack = await startCacheStack(dialect);
    base = new URL(stack.gatewayUrl).origin;
    sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
    people = await demoPeople(stack);
    teacher = await newMember(stack, people.admin, 'TEACHER', 'Salma Adel');
    otherTeacher = await newMember(stack, people.admin, 'TEACHER', 'Karim Lotfy');
    student = await newMember(stack, people.admin, 'STUDENT', 'Mona Hany');
    newStudent = await newMember(stack, people.admin, 'STUDENT', 'Adam Sherif');
    course = await publishedCourse(teacher, { title: 'Chemistry', lessons: 2, students: [student] });
    draftId = (await teacher.ok('mutation { createCourse(input: { title: "Chemistry drafts" }) { id } }')).createCourse.id;
    sessionId = (
      await teacher.ok('mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }', {
        c: course.id,
        i: { title: 'Lab review', startsAt: inHours(24) },
      })
    ).scheduleLiveSession.id;
    // What setting up recorded reaches the gateway now, not in the middle of a test.
    await coursesService(stack).outbox().drain();
  });
  afterAll(() => stopCacheStack(stack, dialect));

  const hits = (labels: Record<string, string>) => metric(base, 'gateway_cache_hits_total', labels);
  const invalidations = (cause: string) => metric(base, 'gateway_cache_invalidations_total', { cause });
  const dashboard = async (who: Person) => who.ok<Dashboard>(DASHBOARD);
  const teaching = async (who: Person = teacher) => (await dashboard(who)).me.teachingCourses.find((c) => c.id === course.id)!;
  const listed = async (who: Person = teacher) => (await dashboard(who)).courses.edges.map((e) => e.node).find((c) => c.id === course.id)!;

  /** A mutation sent straight to the courses subgraph, signed as the gateway signs: the gateway never sees its answer. */
  async function behindTheGateway(who: Person, roles: string[], query: string, variables: Record<string, unknown>) {
    const context = await sign(
      {
        tenant: { id: DEMO.schools.demo.id, slug: 'demo' },
        user: { id: who.id, roles, sessionId: randomUUID() },
        requestId: randomUUID(),
        locale: 'en',
      },
      'courses',
    );
    const res = await request(`${stack.url('courses')}/graphql`, {
      headers: { 'content-type': 'application/json', [INTERNAL_CONTEXT_HEADER]: context },
      body: JSON.stringify({ query, variables }),
    });
    const body = JSON.parse(res.text) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`unexpected errors ${JSON.stringify(body.errors)} for ${query}`);
    return body.data!;
  }

  /** The dashboard is answered from the cache (its whole response): what a change must end. */
  async function cached() {
    await eventually(async () => {
      const before = await hits({ layer: 'response' });
      await dashboard(teacher);
      expect(await hits({ layer: 'response' })).toBeGreaterThan(before);
    });
  }

  /**
   * Makes `change` behind the gateway on a cached dashboard: until the event of `type` is
   * delivered the cached answer stands (`stale` holds); once the gateway has handled it, the very
   * next read shows the change (`fresh`), and so does every read after.
   */
  async function seenAfterItsEvent(type: string, change: () => Promise<unknown>, stale: () => Promise<void>, fresh: () => Promise<void>) {
    await cached();
    const before = await invalidations(type);
    await change();
    await stale();
    await coursesService(stack).outbox().drain();
    await eventually(async () => expect(await invalidations(type)).toBeGreaterThan(before));
    await fresh();
    await fresh();
  }

  it('shows an added, renamed or reordered lesson on the next read once lesson.upserted reached the gateway', async () => {
    const titles = async () => (await teaching()).lessons.map((l) => l.title);
    const added: { id?: string } = {};
    await seenAfterItsEvent(
      'lesson.upserted',
      async () => {
        const data = await behindTheGateway(
          teacher,
          ['TEACHER'],
          'mutation($c: ID!, $i: AddLessonInput!) { addLesson(courseId: $c, input: $i) { id } }',
          {
            c: course.id,
            i: { title: 'Lesson 3', kind: 'VIDEO' },
          },
        );
        added.id = (data.addLesson as { id: string }).id;
      },
      async () => expect(await titles()).toEqual(['Lesson 1', 'Lesson 2']),
      async () => {
        expect((await teaching()).lessons.at(-1)).toEqual({ id: added.id, title: 'Lesson 3', kind: 'VIDEO' });
        expect((await listed()).lessons.map((l) => l.title)).toEqual(['Lesson 1', 'Lesson 2', 'Lesson 3']);
      },
    );
    await seenAfterItsEvent(
      'lesson.upserted',
      () =>
        behindTheGateway(teacher, ['TEACHER'], 'mutation($id: ID!) { updateLesson(id: $id, input: { title: "Acids" }) { id } }', {
          id: course.lessonIds[0],
        }),
      async () => expect((await titles())[0]).toBe('Lesson 1'),
      async () => {
        expect((await titles())[0]).toBe('Acids');
        expect((await listed()).lessons[0].title).toBe('Acids');
      },
    );
    await seenAfterItsEvent(
      'lesson.upserted',
      () =>
        behindTheGateway(teacher, ['TEACHER'], 'mutation($c: ID!, $l: [ID!]!) { reorderLessons(courseId: $c, lessonIds: $l) { id } }', {
          c: course.id,
          l: [added.id, course.lessonIds[1], course.lessonIds[0]],
        }),
      async () => expect(await titles()).toEqual(['Acids', 'Lesson 2', 'Lesson 3']),
      async () => {
        expect(await titles()).toEqual(['Lesson 3', 'Lesson 2', 'Acids']);
        expect((await listed()).lessons.map((l) => l.title)).toEqual(['Lesson 3', 'Lesson 2', 'Acids']);
      },
    );
    // One per lesson added (two when the course was set up), edited, or moved (a reorder leaves Lesson 2 where it was).
    const [one, two] = course.lessonIds;
    const recorded = (await coursesEvents<{ courseId: string; lessonId: string }>(stack, 'lesson.upserted')).filter(
      (e) => e.courseId === course.id,
    );
    expect(recorded.map((e) => e.lessonId).sort()).toEqual([one, two, added.id, one, added.id, one].sort());
  });

  it('shows a rescheduled or canceled live session once its event reached the gateway', async () => {
    const session = async () => (await teaching()).liveSessions.find((s) => s.id === sessionId)!;
    const before = (await session()).startsAt;
    const moved = inHours(48);
    await seenAfterItsEvent(
      'live.session.rescheduled',
      () =>
        behindTheGateway(
          teacher,
          ['TEACHER'],
          'mutation($id: ID!, $s: DateTime!) { rescheduleLiveSession(id: $id, startsAt: $s) { id } }',
          {
            id: sessionId,
            s: moved,
          },
        ),
      async () => expect((await session()).startsAt).toBe(before),
      async () => {
        expect((await session()).startsAt).toBe(moved);
        expect((await listed()).liveSessions.find((s) => s.id === sessionId)!.startsAt).toBe(moved);
      },
    );
    await seenAfterItsEvent(
      'live.session.canceled',
      () => behindTheGateway(teacher, ['TEACHER'], 'mutation($id: ID!) { cancelLiveSession(id: $id) { id } }', { id: sessionId }),
      async () => expect((await session()).status).toBe('SCHEDULED'),
      async () => expect((await session()).status).toBe('CANCELED'),
    );
  });

  it("shows a student's progress and a new enrollment once their events reached the gateway", async () => {
    const roster = async () => (await teaching()).enrollments!;
    const progressOf = async (name: string) => (await roster()).edges.find((e) => e.node.student.displayName === name)!.node.progress;
    const before = await progressOf('Mona Hany');
    await seenAfterItsEvent(
      'lesson.completed',
      () => behindTheGateway(student, ['STUDENT'], 'mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: course.lessonIds[1] }),
      async () => expect(await progressOf('Mona Hany')).toBe(before),
      async () => expect(await progressOf('Mona Hany')).toBeGreaterThan(before),
    );
    await seenAfterItsEvent(
      'enrollment.created',
      () =>
        behindTheGateway(teacher, ['TEACHER'], 'mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', {
          c: course.id,
          s: newStudent.id,
        }),
      async () => expect((await roster()).totalCount).toBe(1),
      async () => {
        const now = await roster();
        expect(now.totalCount).toBe(2);
        expect(now.edges.map((e) => e.node.student.displayName).sort()).toEqual(['Adam Sherif', 'Mona Hany']);
      },
    );
  });

  it("never gives one teacher's cached courses or roster to another teacher, of this school or another, and leaves parents out", async () => {
    const ROSTERS = '{ courses { edges { node { id title enrollments { totalCount } } } } }';
    const rosterOf = async (who: Person) =>
      new Map(
        (
          await who.ok<{ courses: { edges: Array<{ node: { id: string; enrollments: { totalCount: number } } }> } }>(ROSTERS)
        ).courses.edges.map((e) => [e.node.id, e.node.enrollments.totalCount]),
      );
    for (let i = 0; i < 2; i++) {
      const mine = await rosterOf(teacher);
      expect(mine.get(course.id)).toBeGreaterThan(0);
      expect(mine.has(draftId)).toBe(true);
    }
    for (let i = 0; i < 2; i++) {
      // Same roles, same school: the published course without its roster, and not the draft.
      const theirs = await rosterOf(otherTeacher);
      expect(theirs.get(course.id)).toBe(0);
      expect(theirs.has(draftId)).toBe(false);
      const board = await dashboard(otherTeacher);
      expect(board.me).toEqual({ displayName: 'Karim Lotfy', teachingCourses: [] });
      expect(board.courses.edges.some((e) => e.node.id === draftId)).toBe(false);
    }

    // A teacher of another school, same roles: nothing of the demo school.
    const nileTeacher = await teacherOfNile();
    for (let i = 0; i < 2; i++) {
      const theirs = await rosterOf(nileTeacher);
      expect([theirs.has(course.id), theirs.has(draftId)]).toEqual([false, false]);
      const board = await dashboard(nileTeacher);
      expect(board.me).toEqual({ displayName: 'Rana Magdy', teachingCourses: [] });
      expect(board.courses.edges.filter((e) => [course.id, draftId].includes(e.node.id))).toEqual([]);
    }

    // A parent: neither served from the cache nor stored into it (courses' guardian read model has no event).
    const before = { response: await hits({ layer: 'response' }), courses: await hits({ subgraph: 'courses' }) };
    await dashboard(people.parent);
    await rosterOf(people.parent);
    await dashboard(people.parent);
    await rosterOf(people.parent);
    expect({ response: await hits({ layer: 'response' }), courses: await hits({ subgraph: 'courses' }) }).toEqual(before);
  });

  /** A new teacher of the Nile school (invited by its admin), signed in there. */
  async function teacherOfNile(): Promise<Person> {
    const email = `rana.${randomUUID().slice(0, 8)}@nile.test`;
    const { inviteUser } = await people.nileAdmin.ok('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', {
      i: { email, displayName: 'Rana Magdy', roles: ['TEACHER'] },
    });
    const accepted = await stack.gql(
      'mutation($t: String!) { acceptInvitation(token: $t, password: "a-long-password") { accessToken user { id } } }',
      { tenant: 'nile', variables: { t: inviteUser.token } },
    );
    const { accessToken, user } = accepted.body.data.acceptInvitation;
    await knownToCourses(stack, user, DEMO.schools.nile.id);
    const q = (query: string, variables?: Record<string, unknown>) => stack.gql(query, { tenant: 'nile', token: accessToken, variables });
    return {
      id: user.id,
      token: accessToken,
      q,
      async ok(query, variables) {
        const r = await q(query, variables);
        if (r.body.errors?.length) throw new Error(`unexpected errors ${JSON.stringify(r.body.errors)} for ${query}`);
        return r.body.data;
      },
    };
  }
});
