import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { createInternalContextSigner } from '../../platform/auth/internal-context';
import { keySetFromJwks } from '../../platform/auth/keys';
import { openDatabase } from '../../platform/db/orm';
import { scopeToTenant } from '../../platform/db/tenant';
import { DEMO } from '../../platform/demo';
import { createLogger } from '../../platform/logger';
import { OutboxMessage } from '../../platform/outbox/outbox';
import { billingEm, billingService, postPaymobCallback, startTestProviders, SUBSCRIBE, type TestProviders } from '../../testkit/billing';
import { coursesEm, coursesService, createQuiz, demoPeople, newMember, publishedCourse, type Person } from '../../testkit/courses';
import { testDatabase } from '../../testkit/database';
import { eventually } from '../../testkit/eventually';
import { startStack, type Stack } from '../../testkit/stack';
import { Payment, PaymentStatus } from '../billing/payment/payment.entity';
import { Refund } from '../billing/refund/refund.entity';
import { Enrollment, EnrollmentStatus } from '../courses/enrollment/enrollment.entity';
import { LessonCompletion } from '../courses/lesson/lesson-completion.entity';
import { Attendance } from '../courses/live-session/attendance.entity';
import { LiveSession } from '../courses/live-session/live-session.entity';
import { QuizAttempt } from '../courses/quiz/quiz-attempt.entity';
import { courseAnalytics, activeStudentsByCourse } from './course/course-analytics';
import { CourseStats } from './course/course-stats.entity';
import { analyticsDatabase } from './database';
import { factConsumers } from './ingest/events.consumer';
import type { AnalyticsEvent } from './ingest/apply-event';
import { rebuildAggregates } from './rebuild/rebuild';
import { schoolAnalytics } from './school/school-analytics';

/**
 * A scripted school day (enrollments, lessons, quizzes, a live session, payments and a refund)
 * through the gateway, on MariaDB, Redis and RabbitMQ and in embedded mode (SQLite, in-process), then every aggregate analytics shows is
 * compared with the same figure computed directly from courses' and billing's own tables. The
 * same events are then delivered again to a fresh analytics database twice and shuffled, and a
 * rebuild from the facts exports is run into another: both must give the same figures.
 */
const SCHOOL = DEMO.schools.demo.id;
const DAY = 86_400_000;
const COURSE_FIELDS = 'enrolledStudents activeStudents7d averageProgress completionRate averageQuizScore attendanceRate';
const SCHOOL_FIELDS = 'activeStudents7d enrollments30d revenue30d { amountPiasters } liveSessionsToday';

describe.each(['mysql', 'sqlite'] as const)('a school day (%s)', (dialect) => {
  let providers: TestProviders;
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let courseId: string;
  let otherTeacher: Person;
  /** When the script began: what the events tell of starts here. */
  let scriptStart: Date;
  const logger = createLogger('analytics-test');

  const round = <T extends Record<string, unknown>>(figures: T): T =>
    Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v])) as T;

  beforeAll(async () => {
    providers = await startTestProviders();
    stack = await startStack(dialect, { ...providers.env }, { subgraphs: ['users', 'courses', 'billing', 'analytics'] });
    people = await demoPeople(stack);
    scriptStart = new Date();
    const students = [people.student];
    for (const name of ['Mona Adel', 'Omar Samy', 'Hana Fathy', 'Karim Zaki'])
      students.push(await newMember(stack, people.admin, 'STUDENT', name));
    otherTeacher = await newMember(stack, people.admin, 'TEACHER', 'Samir Nabil');
    const [s1, s2, s3, s4, s5] = students;
    const course = await publishedCourse(people.teacher, { title: 'Chemistry', lessons: 4, students });
    courseId = course.id;
    // Lessons: s1 all four, s2 two, s3 one, s4 and s5 none.
    for (const [student, count] of [
      [s1, 4],
      [s2, 2],
      [s3, 1],
    ] as const) {
      for (const lessonId of course.lessonIds.slice(0, count))
        await student.ok('mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: lessonId });
    }
    // A quiz of two true/false questions: s1 tries twice (1/2 then 2/2: the best counts), s2 once (0/2).
    const quiz = await createQuiz(people.teacher, courseId, {
      title: 'Acids',
      maxAttempts: 3,
      solutionsVisibility: 'AFTER_EACH_ATTEMPT',
      questions: [
        { kind: 'TRUE_FALSE', prompt: 'pH 3 is acidic?', correctBoolean: true },
        { kind: 'TRUE_FALSE', prompt: 'pH 12 is acidic?', correctBoolean: false },
      ],
    });
    const attempt = async (student: Person, answers: [boolean, boolean]) => {
      const { startQuizAttempt } = await student.ok('mutation($q: ID!) { startQuizAttempt(quizId: $q) { id } }', { q: quiz.id });
      await student.ok('mutation($a: ID!, $x: [AnswerInput!]!) { submitQuizAttempt(attemptId: $a, answers: $x) { id } }', {
        a: startQuizAttempt.id,
        x: quiz.questions.map((q, i) => ({ questionId: q.id, booleanValue: answers[i] })),
      });
    };
    await attempt(s1, [true, true]);
    await attempt(s1, [true, false]);
    await attempt(s2, [false, true]);
    // A live session today: s1 and s2 join; s4 is excused afterwards; s3 and s5 are absent.
    const { scheduleLiveSession } = await people.teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      { c: courseId, i: { title: 'Lab', startsAt: new Date(Date.now() + 60_000).toISOString() } },
    );
    const session = scheduleLiveSession.id as string;
    await people.teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id: session });
    for (const student of [s1, s2]) await student.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id: session });
    await people.teacher.ok('mutation($id: ID!) { endLiveSession(id: $id) { id } }', { id: session });
    await people.teacher.ok('mutation($s: ID!, $u: ID!) { excuseAttendance(sessionId: $s, studentId: $u) { status } }', {
      s: session,
      u: s4.id,
    });
    // A second course with one student, dropped: counted in the school's enrollments, not in Chemistry.
    const other = await publishedCourse(otherTeacher, { title: 'Biology', students: [s5] });
    const { course: roster } = await otherTeacher.ok('query($id: ID!) { course(id: $id) { enrollments { edges { node { id } } } } }', {
      id: other.id,
    });
    await people.admin.ok('mutation($id: ID!) { dropEnrollment(id: $id) { id } }', { id: roster.enrollments.edges[0].node.id });
    // Payments: two plans paid, one refunded in part.
    const paid: string[] = [];
    for (const amount of [15_000, 9_000]) {
      const { createPlan } = await people.admin.ok('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
        i: { name: `Plan ${amount}`, amountPiasters: amount, interval: 'MONTH' },
      });
      const { subscribe } = await people.parent.ok(SUBSCRIBE, {
        p: createPlan.id,
        s: people.student.id,
        provider: 'PAYMOB',
        method: 'WALLET',
      });
      const orderId = providers.paymob.intentionOf(subscribe.checkoutUrl).orderId;
      expect((await postPaymobCallback(stack, providers.paymob.pay(orderId, { sourceType: 'wallet' }))).status).toBe(200);
      paid.push(subscribe.id);
    }
    await people.admin.ok('mutation($p: ID!) { refundPayment(paymentId: $p, amountPiasters: 2500) { status } }', { p: paid[0] });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    await providers?.close();
  }, 120_000);

  /** Chemistry's figures computed from courses' own tables (and its progress as courses serves it). */
  async function expectedCourse() {
    const em = coursesEm(stack);
    const enrollments = await em.find(Enrollment, {
      course: courseId,
      status: { $in: [EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED] },
    });
    const students = new Set(enrollments.map((e) => e.studentId));
    const { course } = await people.teacher.ok(
      'query($id: ID!) { course(id: $id) { enrollments(first: 100) { edges { node { student { id } progress } } } } }',
      { id: courseId },
    );
    const progress = (course.enrollments.edges as Array<{ node: { student: { id: string }; progress: number } }>)
      .filter((e) => students.has(e.node.student.id))
      .map((e) => e.node.progress);
    const attempts = (await em.find(QuizAttempt, { quiz: { course: courseId }, score: { $ne: null } }, { populate: ['quiz'] })).filter(
      (a) => students.has(a.studentId),
    );
    const best = new Map<string, number>();
    for (const a of attempts)
      best.set(`${a.quiz.id}:${a.studentId}`, Math.max(best.get(`${a.quiz.id}:${a.studentId}`) ?? 0, a.score! / a.maxScore));
    const marks = (await em.find(Attendance, { session: { course: courseId } })).filter(
      (a) => students.has(a.studentId) && a.status !== 'EXCUSED',
    );
    const since = new Date(Date.now() - 7 * DAY);
    const active = new Set<string>();
    for (const c of await em.find(
      LessonCompletion,
      { enrollment: { course: courseId }, completedAt: { $gte: since } },
      { populate: ['enrollment'] },
    ))
      active.add(c.enrollment.studentId);
    for (const a of attempts) if (a.submittedAt && a.submittedAt >= since) active.add(a.studentId);
    for (const a of marks)
      if ((a.status === 'PRESENT' || a.status === 'LATE') && a.firstJoinedAt && a.firstJoinedAt >= since) active.add(a.studentId);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    return round({
      enrolledStudents: students.size,
      activeStudents7d: [...active].filter((s) => students.has(s)).length,
      averageProgress: mean(progress) ?? 0,
      completionRate: progress.length ? progress.filter((p) => p >= 1).length / progress.length : 0,
      averageQuizScore: mean([...best.values()]),
      attendanceRate: marks.length ? marks.filter((a) => a.status === 'PRESENT' || a.status === 'LATE').length / marks.length : null,
    });
  }

  /**
   * The demo school's figures computed from courses' and billing's own tables; with `madeSince`, of
   * the rows made since then only (the seeded demo rows were made without events).
   */
  async function expectedSchool(madeSince = new Date(0)) {
    const em = coursesEm(stack);
    const now = Date.now();
    const month = new Date(Math.max(now - 30 * DAY, madeSince.getTime()));
    const enrollments = await em.find(Enrollment, { createdAt: { $gte: month } });
    const current = await em.find(Enrollment, {
      status: { $in: [EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED] },
      createdAt: { $gte: madeSince },
    });
    const enrolled = new Set(current.map((e) => `${e.course.id}:${e.studentId}`));
    const since = new Date(Math.max(now - 7 * DAY, madeSince.getTime()));
    const active = new Set<string>();
    for (const c of await em.find(LessonCompletion, { completedAt: { $gte: since } }, { populate: ['enrollment'] }))
      if (enrolled.has(`${c.enrollment.course.id}:${c.enrollment.studentId}`)) active.add(c.enrollment.studentId);
    for (const a of await em.find(QuizAttempt, { submittedAt: { $gte: since }, score: { $ne: null } }, { populate: ['quiz'] }))
      if (enrolled.has(`${a.quiz.course.id}:${a.studentId}`)) active.add(a.studentId);
    for (const a of await em.find(Attendance, { status: { $in: ['PRESENT', 'LATE'] }, firstJoinedAt: { $gte: since } } as never, {
      populate: ['session'],
    }))
      if (enrolled.has(`${(a as Attendance).session.course.id}:${(a as Attendance).studentId}`)) active.add((a as Attendance).studentId);
    const bem = billingEm(stack);
    const payments = await bem.find(Payment, {
      paidAt: { $gte: month },
      status: { $in: [PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED] },
    });
    const refunds = await bem.find(Refund, { status: 'SUCCEEDED', createdAt: { $gte: month } });
    const cairo = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Africa/Cairo' });
    const sessions = (await em.find(LiveSession, { canceledAt: null, createdAt: { $gte: madeSince } })).filter(
      (s) => cairo(s.startedAt ?? s.startsAt) === cairo(new Date()),
    );
    return {
      activeStudents7d: active.size,
      enrollments30d: enrollments.length,
      revenue30d: {
        amountPiasters: payments.reduce((n, p) => n + p.amountPiasters, 0) - refunds.reduce((n, r) => n + r.amountPiasters, 0),
      },
      liveSessionsToday: sessions.length,
    };
  }

  /** Every event courses and billing recorded that analytics keeps facts from, as the broker delivers them. */
  async function recordedEvents(): Promise<Array<{ id: string; payload: AnalyticsEvent }>> {
    const out: Array<{ id: string; payload: AnalyticsEvent }> = [];
    const types = factConsumers({ changed: () => undefined }).flatMap((c) => c.options.bindings as string[]);
    for (const service of [coursesService(stack), billingService(stack)]) {
      for (const row of await service
        .orm()
        .em.fork()
        .find(OutboxMessage, { type: { $in: types } })) {
        const payload = {
          id: row.id,
          type: row.type,
          version: row.version,
          tenantId: row.tenantId,
          occurredAt: row.occurredAt.toISOString(),
          payload: JSON.parse(row.payload),
        } as AnalyticsEvent;
        out.push({ id: row.id, payload });
      }
    }
    return out;
  }

  /** The figures a given analytics database holds, through the subgraph's own computations. */
  async function figuresOf(orm: MikroORM) {
    const em = scopeToTenant(orm.em.fork(), SCHOOL);
    const stats = await em.findOne(CourseStats, { id: courseId });
    const [active] = await activeStudentsByCourse(em, SCHOOL, [courseId]);
    const { enrolledStudents, activeStudents7d, averageProgress, completionRate, averageQuizScore, attendanceRate } = courseAnalytics(
      stats,
      active,
    );
    const school = await schoolAnalytics(em, SCHOOL, 'Africa/Cairo');
    return {
      course: round({ enrolledStudents, activeStudents7d, averageProgress, completionRate, averageQuizScore, attendanceRate }),
      school: { ...school, revenue30d: { amountPiasters: school.revenue30d.amountPiasters } },
    };
  }

  it('shows, through the gateway, every aggregate equal to what the source tables give', async () => {
    const course = await expectedCourse();
    const school = await expectedSchool();
    // The script's own numbers, so that the direct computation is itself checked.
    expect(course).toMatchObject({ enrolledStudents: 5, completionRate: 0.2, averageQuizScore: 0.5, attendanceRate: 0.5 });
    expect(school.revenue30d.amountPiasters).toBe(15_000 + 9_000 - 2_500);
    await eventually(async () => {
      const { course: c } = await people.teacher.ok(`query($id: ID!) { course(id: $id) { analytics { ${COURSE_FIELDS} } } }`, {
        id: courseId,
      });
      expect(round(c.analytics)).toEqual(course);
      const { school: s } = await people.admin.ok(`{ school { analytics { ${SCHOOL_FIELDS} } } }`);
      expect(s.analytics).toEqual(school);
    }, 60_000);
  }, 120_000);

  it('gives the same aggregates when every event is delivered twice and out of order, and a rebuild adds the rest', async () => {
    // The events tell of the script's day only: the demo data was seeded without events.
    const expected = { course: await expectedCourse(), school: await expectedSchool(scriptStart) };
    const events = await recordedEvents();
    expect(events.length).toBeGreaterThan(20);
    const db = testDatabase(dialect, 'analytics');
    const orm = await openDatabase({ ...analyticsDatabase, ...db.options });
    try {
      const handlers = factConsumers({ changed: () => undefined }).map((c) => ({
        bindings: c.options.bindings as string[],
        handle: c.handler({ orm, logger }),
      }));
      // Each event twice (a redelivery keeps its id) and once more under a new id (a copy the broker
      // cannot tell apart), all shuffled: late, early and repeated events alike.
      const deliveries = [...events, ...events, ...events.map((e) => ({ ...e, id: randomUUID() }))];
      for (let i = deliveries.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
      }
      for (const d of deliveries) {
        const handler = handlers.find((h) => h.bindings.includes(d.payload.type))!;
        await handler.handle({ id: d.id, routingKey: d.payload.type, payload: d.payload, headers: {}, attempt: 1 });
      }
      expect(await figuresOf(orm)).toEqual(expected);
      // A rebuild over those facts brings the seeded rows in and changes nothing the events said.
      const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
      await rebuildAggregates({ orm, logger, sources: { courses: stack.url('courses'), billing: stack.url('billing') }, sign });
      expect(await figuresOf(orm)).toEqual({ course: expected.course, school: await expectedSchool() });
    } finally {
      await orm.close();
      await db.drop();
    }
  }, 120_000);

  it('rebuilds the same aggregates from the facts exports into an empty database, and again over them', async () => {
    const expected = { course: await expectedCourse(), school: await expectedSchool() };
    const db = testDatabase(dialect, 'analytics');
    const orm = await openDatabase({ ...analyticsDatabase, ...db.options });
    try {
      const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
      const sources = { courses: stack.url('courses'), billing: stack.url('billing') };
      const first = await rebuildAggregates({ orm, logger, sources, sign });
      expect(first.facts.courses).toBeGreaterThan(10);
      expect(first.facts.billing).toBe(3);
      expect(await figuresOf(orm)).toEqual(expected);
      await rebuildAggregates({ orm, logger, sources, sign });
      expect(await figuresOf(orm)).toEqual(expected);
    } finally {
      await orm.close();
      await db.drop();
    }
  });

  it("lets no one but the school's admins and the course's teacher read the figures, and no other school", async () => {
    const course = `query($id: ID!) { course(id: $id) { analytics { enrolledStudents } } }`;
    for (const who of [otherTeacher, people.student, people.parent]) {
      const r = await who.q(course, { id: courseId });
      expect(r.body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
      expect(r.body.data?.course?.analytics ?? null).toBeNull();
    }
    expect((await people.admin.ok(course, { id: courseId })).course.analytics.enrolledStudents).toBe(5);
    // Another school's admin: courses does not show them the course, and analytics never answers for it.
    const nile = await people.nileAdmin.q(course, { id: courseId });
    expect(nile.body.data?.course ?? null).toBeNull();
    const school = `{ school { analytics { revenue30d { amountPiasters } } } }`;
    for (const who of [people.teacher, people.student, people.parent]) {
      expect((await who.q(school)).body.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    }
    // Nobody paid in the other school: the demo school's payments are not in its figures.
    expect((await people.nileAdmin.ok(school)).school.analytics.revenue30d.amountPiasters).toBe(0);
    expect((await people.admin.ok(school)).school.analytics.revenue30d.amountPiasters).toBe(21_500);
  });
});
