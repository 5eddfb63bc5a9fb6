import { randomUUID } from 'node:crypto';
import { INTERNAL_CONTEXT_HEADER } from '../../../platform/auth/internal-context';
import { scopeToTenant } from '../../../platform/db/tenant';
import { Person } from '../../../platform/people/person.entity';
import type { Fact } from '../../../platform/events/facts';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { expectFactsRefusals, expectSchoolsApart, sortedFacts, startFactsExport, type FactsExport } from '../../../testkit/facts';
import { gql } from '../../../testkit/graphql-client';
import { Course, CourseStatus } from '../course/course.entity';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { LessonCompletion } from '../lesson/lesson-completion.entity';
import { Lesson, LessonKind } from '../lesson/lesson.entity';
import { Attendance, AttendanceStatus } from '../live-session/attendance.entity';
import { LiveSession, LiveSessionStatus } from '../live-session/live-session.entity';
import { QuizAttempt } from '../quiz/quiz-attempt.entity';
import { Quiz } from '../quiz/quiz.entity';
import { coursesFactsRoute } from './facts.route';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 9, minute, 0, 123));
const iso = (minute: number) => at(minute).toISOString();

/**
 * Arranges, in a school of its own, a bit of everything the export covers, with what it must
 * leave out (an attempt not graded, the attendance of a session still live) and what it must
 * say was deleted or removed; returns the facts expected of it, written out by hand.
 */
async function arrangeSchool(service: SubgraphService, schoolId: string): Promise<Fact[]> {
  const em = scopeToTenant(service.orm().em.fork(), schoolId);
  const [teacher, s1, s2, s3, s4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const base = { schoolId };
  // Known to courses' read model of people, as enrolled students are (rosters show only those).
  for (const id of [s1, s2, s3, s4]) em.create(Person, { ...base, id, roles: ['STUDENT'], observedAt: at(0) });
  const course = (title: string, status: CourseStatus, deletedAt?: Date) =>
    em.create(Course, { ...base, title, teacherId: teacher, status, deletedAt });
  const c1 = course('Physics', CourseStatus.PUBLISHED);
  const c2 = course('Chemistry', CourseStatus.DRAFT);
  const c3 = course('Old algebra', CourseStatus.ARCHIVED, at(50));
  const lesson = (c: Course, position: number, deletedAt?: Date) =>
    em.create(Lesson, { ...base, course: c, title: `L${position}`, position, kind: LessonKind.TEXT, content: 'x', deletedAt });
  const [l1, l2, l3, l4] = [lesson(c1, 1), lesson(c1, 2), lesson(c1, 3, at(40)), lesson(c3, 1)];
  const enroll = (c: Course, studentId: string, status: EnrollmentStatus, minute: number, removedAt?: Date) =>
    em.create(Enrollment, { ...base, course: c, studentId, status, createdAt: at(minute), removedAt });
  const e1 = enroll(c1, s1, EnrollmentStatus.ACTIVE, 1);
  const e2 = enroll(c1, s2, EnrollmentStatus.COMPLETED, 2);
  const e3 = enroll(c1, s3, EnrollmentStatus.DROPPED, 3);
  const e4 = enroll(c1, s4, EnrollmentStatus.ACTIVE, 4, at(45));
  const e5 = enroll(c3, s1, EnrollmentStatus.ACTIVE, 5);
  const done: Array<[Enrollment, Lesson, number]> = [
    [e1, l1, 10],
    [e1, l3, 11], // a lesson deleted since: kept as activity, no longer counted in progress
    [e2, l1, 12],
    [e2, l2, 13],
    [e3, l1, 14],
    [e4, l1, 15],
    [e5, l4, 16],
  ];
  for (const [enrollment, l, minute] of done) em.create(LessonCompletion, { ...base, enrollment, lesson: l, completedAt: at(minute) });
  const quiz = em.create(Quiz, { ...base, course: c1, title: 'Quiz 1' });
  const attempt = (studentId: string, number: number, graded?: { score: number; minute: number }) =>
    em.create(QuizAttempt, {
      ...base,
      quiz,
      studentId,
      number,
      maxScore: 5,
      startedAt: at(20),
      ...(graded ? { score: graded.score, submittedAt: at(graded.minute) } : {}),
    });
  const a1 = attempt(s1, 1, { score: 3, minute: 21 });
  const a2 = attempt(s1, 2, { score: 0, minute: 22 });
  attempt(s2, 1); // still running: no fact
  const session = (c: Course, status: LiveSessionStatus, times: Partial<Record<'startedAt' | 'endedAt' | 'canceledAt', Date>>) =>
    em.create(LiveSession, { ...base, course: c, title: 'Live', startsAt: at(30), status, ...times });
  const ended = session(c1, LiveSessionStatus.ENDED, { startedAt: at(31), endedAt: at(35) });
  const canceled = session(c1, LiveSessionStatus.CANCELED, { canceledAt: at(29) });
  const scheduled = session(c2, LiveSessionStatus.SCHEDULED, {});
  const live = session(c1, LiveSessionStatus.LIVE, { startedAt: at(36) });
  const attend = (s: LiveSession, studentId: string, status: AttendanceStatus, totalSeconds: number, firstJoinedAt?: Date) =>
    em.create(Attendance, { ...base, session: s, studentId, status, totalSeconds, firstJoinedAt });
  attend(ended, s1, AttendanceStatus.PRESENT, 240, at(31));
  attend(ended, s2, AttendanceStatus.ABSENT, 0);
  attend(ended, s3, AttendanceStatus.EXCUSED, 0);
  attend(live, s1, AttendanceStatus.PRESENT, 0, at(36)); // not settled: no fact
  await em.flush();

  const courseFact = (c: Course, deleted = false): Fact => ({
    fact: 'course',
    schoolId,
    courseId: c.id,
    teacherId: teacher,
    title: c.title,
    status: c.status,
    deleted,
  });
  const enrollmentFact = (e: Enrollment, state: 'ACTIVE' | 'DROPPED' | 'REMOVED', progress: number, minute: number): Fact => ({
    fact: 'enrollment',
    schoolId,
    enrollmentId: e.id,
    courseId: e.course.id,
    studentId: e.studentId,
    enrolledAt: iso(minute),
    state,
    progress,
  });
  const sessionFact = (s: LiveSession, times: Record<string, number>): Fact => ({
    fact: 'liveSession',
    schoolId,
    sessionId: s.id,
    courseId: s.course.id,
    startsAt: iso(30),
    ...Object.fromEntries(Object.entries(times).map(([k, m]) => [k, iso(m)])),
  });
  return [
    courseFact(c1),
    courseFact(c2),
    courseFact(c3, true),
    // Progress as courses shows it: completed over the course's lessons, deleted ones in neither;
    // removed enrollments and those of a deleted course are shown nowhere, so 0.
    enrollmentFact(e1, 'ACTIVE', 0.5, 1),
    enrollmentFact(e2, 'ACTIVE', 1, 2),
    enrollmentFact(e3, 'DROPPED', 0.5, 3),
    enrollmentFact(e4, 'REMOVED', 0, 4),
    enrollmentFact(e5, 'ACTIVE', 0, 5),
    ...done.map(([e, l, minute]): Fact => ({
      fact: 'lessonCompletion',
      schoolId,
      courseId: e.course.id,
      lessonId: l.id,
      studentId: e.studentId,
      completedAt: iso(minute),
    })),
    ...[
      [a1, 3, 21],
      [a2, 0, 22],
    ].map(([a, score, minute]): Fact => ({
      fact: 'quizAttempt',
      schoolId,
      attemptId: (a as QuizAttempt).id,
      quizId: quiz.id,
      courseId: c1.id,
      studentId: s1,
      score: score as number,
      maxScore: 5,
      submittedAt: iso(minute as number),
    })),
    sessionFact(ended, { startedAt: 31, endedAt: 35 }),
    sessionFact(canceled, { canceledAt: 29 }),
    sessionFact(scheduled, {}),
    sessionFact(live, { startedAt: 36 }),
    {
      fact: 'attendance',
      schoolId,
      sessionId: ended.id,
      courseId: c1.id,
      studentId: s1,
      status: 'PRESENT',
      totalSeconds: 240,
      firstJoinedAt: iso(31),
    },
    { fact: 'attendance', schoolId, sessionId: ended.id, courseId: c1.id, studentId: s2, status: 'ABSENT', totalSeconds: 0 },
    { fact: 'attendance', schoolId, sessionId: ended.id, courseId: c1.id, studentId: s3, status: 'EXCUSED', totalSeconds: 0 },
  ];
}

describe.each(['mysql', 'sqlite'] as const)('courses facts export (%s)', (dialect) => {
  const schoolA = randomUUID();
  const schoolB = randomUUID();
  let fx: FactsExport;
  let expectedA: Fact[];
  let expectedB: Fact[];
  let queries: string[] | undefined;
  beforeAll(async () => {
    fx = await startFactsExport(dialect, 'courses', coursesFactsRoute, { onQuery: (_service, sql) => queries?.push(sql) });
    expectedA = await arrangeSchool(fx.service, schoolA);
    expectedB = await arrangeSchool(fx.service, schoolB);
  });
  afterAll(() => fx?.close());

  it("exports one school's facts, every kind, a page at a time, as the rows are", async () => {
    const facts = await fx.read(fx.smallUrl, schoolA);
    expect(sortedFacts(facts)).toEqual(sortedFacts(expectedA));
    // Kind after kind, each in id order (keyset pages).
    const kinds = facts.map((f) => f.fact);
    expect(kinds).toEqual([...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    const ids = (kind: Fact['fact'], key: string) =>
      facts.filter((f) => f.fact === kind).map((f) => (f as unknown as Record<string, string>)[key]);
    for (const [kind, key] of [
      ['course', 'courseId'],
      ['enrollment', 'enrollmentId'],
      ['quizAttempt', 'attemptId'],
      ['liveSession', 'sessionId'],
    ] as const) {
      expect(ids(kind, key)).toEqual([...ids(kind, key)].sort());
    }
  });
  const order = ['course', 'enrollment', 'lessonCompletion', 'quizAttempt', 'liveSession', 'attendance'];

  it('computes progress as Enrollment.progress does, with one lesson query per page of enrollments, not one per enrollment', async () => {
    queries = [];
    const facts = await fx.read(fx.smallUrl, schoolA);
    const lessonQueries = queries.filter((sql) => /from [`"]lesson[`"]/i.test(sql));
    queries = undefined;
    // 5 enrollments in pages of 2: 3 pages.
    expect(lessonQueries).toHaveLength(3);

    const physics = facts.find((f) => f.fact === 'course' && f.title === 'Physics')!;
    const admin = { id: randomUUID(), roles: ['SCHOOL_ADMIN'] };
    const r = await gql(
      `${fx.stack.url('courses')}/graphql`,
      'query($id: ID!) { course(id: $id) { enrollments(first: 10) { edges { node { id progress } } } } }',
      {
        headers: { [INTERNAL_CONTEXT_HEADER]: await fx.sign({ tenant: { id: schoolA, slug: 'a' }, user: admin }, 'courses') },
        variables: { id: physics.fact === 'course' ? physics.courseId : '' },
      },
    );
    const shown = (r.body.data.course.enrollments.edges as Array<{ node: { id: string; progress: number } }>).map((e) => e.node);
    expect(shown).toHaveLength(3); // the removed one is not shown
    for (const { id, progress } of shown) {
      expect(facts).toContainEqual(expect.objectContaining({ fact: 'enrollment', enrollmentId: id, progress }));
    }
  });

  it("answers only the school asked for, and every school's facts without one", async () => {
    const all = await expectSchoolsApart(fx, { [schoolA]: expectedA, [schoolB]: expectedB });
    // The demo schools' seeded courses too, school after school.
    const schools = all.map((f) => f.schoolId).filter((s, i, list) => s !== list[i - 1]);
    expect(new Set(schools).size).toBe(schools.length);
    expect(schools.length).toBeGreaterThan(2);
  });

  it('is served by the running subgraph', async () => {
    expect(sortedFacts(await fx.read(fx.stack.url('courses'), schoolA))).toEqual(sortedFacts(expectedA));
  });

  it('refuses a call not signed for courses (401), one made for a person or a school (403), and a bad school (400)', async () => {
    await expectFactsRefusals(fx, {
      subgraph: 'courses',
      otherAudience: 'billing',
      school: schoolA,
      badQueries: ['?school=not-a-school', `?school=${schoolA}&school=${schoolB}`],
    });
  });
});
