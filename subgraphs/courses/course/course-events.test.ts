import { randomUUID } from 'node:crypto';
import type { BrokerMessage } from '../../../platform/broker/message-broker';
import { DEMO } from '../../../platform/demo';
import {
  EVERY_SCHOOL,
  type CourseUpserted,
  type DomainEventOf,
  type DomainEvents,
  type DomainEventType,
  type EnrollmentCreated,
} from '../../../platform/events/domain-events';
import { createLogger } from '../../../platform/logger';
import { OutboxMessage, ProcessedMessage, type DomainEvent } from '../../../platform/outbox/outbox';
import { codes, coursesEm, coursesService, demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { coursesBackfillConsumer } from '../enrollment/courses-backfill.consumer';
import { Enrollment, EnrollmentSource, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { subscriptionEnrollmentConsumer } from '../enrollment/subscription.consumer';
import { DEMO_COURSES } from '../seed';
import { Course } from './course.entity';

const demo = DEMO.schools.demo.id;
const nile = DEMO.schools.nile.id;

/** An outbox row of courses, its payload parsed. */
interface Recorded<T> {
  id: string;
  tenantId: string;
  sequence: number;
  payload: T;
}

/**
 * The events courses records for the read models other subgraphs keep of its courses and
 * enrollments (messaging): `course.upserted` on every change of what they keep, `enrollment.dropped`
 * wherever an enrollment is dropped, and the whole state again on `courses.backfill.requested`.
 */
describe.each(['mysql', 'sqlite'] as const)('course and enrollment events for read models (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users', 'courses'] });
    people = await demoPeople(stack);
  });
  afterAll(() => stack.stop());

  const logger = createLogger('test');
  async function recorded<T extends DomainEventType>(type: T): Promise<Array<Recorded<DomainEvents[T]>>> {
    const rows = await coursesService(stack)
      .orm()
      .em.fork()
      .find(OutboxMessage, { type }, { orderBy: { sequence: 'asc' } });
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenantId,
      sequence: Number(r.sequence),
      payload: JSON.parse(r.payload) as DomainEvents[T],
    }));
  }
  const upsertsOf = async (courseId: string) =>
    (await recorded('course.upserted')).filter((e) => e.payload.courseId === courseId).map((e) => e.payload);
  const dropsOf = async (enrollmentId: string) =>
    (await recorded('enrollment.dropped')).filter((e) => e.payload.enrollmentId === enrollmentId).map((e) => e.payload);
  const message = <T>(event: DomainEvent<T>): BrokerMessage<DomainEvent<T>> => ({
    id: event.id,
    routingKey: event.type,
    payload: event,
    headers: {},
    attempt: 1,
  });

  describe('course.upserted', () => {
    it('is recorded when a course is created and when its title, teacher or status changes, with the whole state', async () => {
      const { createCourse } = await people.teacher.ok('mutation { createCourse(input: { title: "Geometry" }) { id } }');
      const id = createCourse.id as string;
      const state = (s: Partial<CourseUpserted>): CourseUpserted => ({
        courseId: id,
        title: 'Geometry',
        teacherId: people.teacher.id,
        status: 'DRAFT',
        ...s,
      });
      expect(await upsertsOf(id)).toEqual([state({})]);
      // Recorded with the course (the same flush), in its school.
      const row = (await recorded('course.upserted')).find((e) => e.payload.courseId === id)!;
      expect(row.tenantId).toBe(demo);

      const update = (who: Person, input: Record<string, unknown>) =>
        who.q('mutation($id: ID!, $i: UpdateCourseInput!) { updateCourse(id: $id, input: $i) { id } }', { id, i: input });
      await update(people.teacher, { title: 'Geometry and Trigonometry' });
      const other = await newMember(stack, people.admin, 'TEACHER', 'Karim Adel');
      await update(people.admin, { teacherId: other.id });
      await people.admin.ok('mutation($id: ID!) { publishCourse(id: $id) { id } }', { id });
      await people.admin.ok('mutation($id: ID!) { archiveCourse(id: $id) { id } }', { id });
      await people.admin.ok('mutation($id: ID!) { publishCourse(id: $id) { id } }', { id });
      expect(await upsertsOf(id)).toEqual([
        state({}),
        state({ title: 'Geometry and Trigonometry' }),
        state({ title: 'Geometry and Trigonometry', teacherId: other.id }),
        state({ title: 'Geometry and Trigonometry', teacherId: other.id, status: 'PUBLISHED' }),
        state({ title: 'Geometry and Trigonometry', teacherId: other.id, status: 'ARCHIVED' }),
        state({ title: 'Geometry and Trigonometry', teacherId: other.id, status: 'PUBLISHED' }),
      ]);
    });

    it('is not recorded for a change nobody keeps, nothing changed, or a refused change', async () => {
      const course = await publishedCourse(people.teacher, { title: 'Biology' });
      const before = await upsertsOf(course.id);
      expect(before.at(-1)).toMatchObject({ title: 'Biology', status: 'PUBLISHED' });
      const update = (who: Person, input: Record<string, unknown>) =>
        who.q('mutation($id: ID!, $i: UpdateCourseInput!) { updateCourse(id: $id, input: $i) { id } }', { id: course.id, i: input });

      expect(codes(await update(people.teacher, { description: 'Cells and tissues', subject: 'Science' }))).toEqual([]);
      expect(codes(await update(people.teacher, { title: 'Biology', teacherId: people.teacher.id }))).toEqual([]);
      expect(codes(await people.teacher.q('mutation($id: ID!) { publishCourse(id: $id) { id } }', { id: course.id }))).toEqual([]);
      // Refused: a teacher handing the course on, a blank title, someone who does not teach it.
      expect(codes(await update(people.teacher, { teacherId: people.admin.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await update(people.teacher, { title: '   ' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await update(people.student, { title: 'Hijacked' }))).not.toEqual([]);
      expect(codes(await people.student.q('mutation($id: ID!) { archiveCourse(id: $id) { id } }', { id: course.id }))).not.toEqual([]);
      expect(await upsertsOf(course.id)).toEqual(before);
    });

    it('is recorded by the demo seed for its courses', async () => {
      for (const c of [DEMO_COURSES.math, DEMO_COURSES.arabic]) {
        expect(await upsertsOf(c.id)).toEqual([
          { courseId: c.id, title: c.title, teacherId: DEMO.users.demoTeacher.id, status: 'PUBLISHED' },
        ]);
      }
    });
  });

  describe('enrollment.dropped', () => {
    it('is recorded once when staff drop a student, never for someone not allowed to', async () => {
      const student = await newMember(stack, people.admin, 'STUDENT', 'Dropped Student');
      const course = await publishedCourse(people.teacher, { title: 'Drop me', students: [student] });
      const enrollment = (await coursesEm(stack).findOne(Enrollment, { course: course.id, studentId: student.id }))!;

      const refused = await student.q('mutation($id: ID!) { dropEnrollment(id: $id) { id } }', { id: enrollment.id });
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(await dropsOf(enrollment.id)).toEqual([]);

      const drop = () => people.teacher.ok('mutation($id: ID!) { dropEnrollment(id: $id) { id status } }', { id: enrollment.id });
      expect((await drop()).dropEnrollment).toEqual({ id: enrollment.id, status: 'DROPPED' });
      expect((await drop()).dropEnrollment.status).toBe('DROPPED');
      const drops = await dropsOf(enrollment.id);
      expect(drops).toEqual([
        { enrollmentId: enrollment.id, courseId: course.id, studentId: student.id, reason: 'STAFF', droppedAt: expect.any(String) },
      ]);
      expect((await coursesEm(stack).findOne(Enrollment, { id: enrollment.id }))!.status).toBe(EnrollmentStatus.DROPPED);
    });

    it('is recorded once when the plan subscription that made the enrollment expires, however often it is delivered', async () => {
      const student = await newMember(stack, people.admin, 'STUDENT', 'Lapsed Student');
      const course = await publishedCourse(people.teacher, { title: 'Paid course' });
      const handle = subscriptionEnrollmentConsumer.handler({ orm: coursesService(stack).orm(), logger });
      const subscriptionId = randomUUID();
      const planId = randomUUID();
      const event = <T extends 'plan.subscription.activated' | 'plan.subscription.expired'>(type: T, payload: DomainEvents[T]) =>
        message<DomainEvents[T]>({ id: randomUUID(), type, version: 1, tenantId: demo, occurredAt: new Date().toISOString(), payload });
      await handle(
        event('plan.subscription.activated', {
          subscriptionId,
          planId,
          courseId: course.id,
          studentId: student.id,
          payerId: student.id,
          activatedAt: new Date().toISOString(),
        }),
      );
      const enrollment = (await coursesEm(stack).findOne(Enrollment, { course: course.id, studentId: student.id }))!;
      expect(enrollment.source).toBe(EnrollmentSource.SUBSCRIPTION);

      // Another subscription's expiry leaves this enrollment alone.
      await handle(
        event('plan.subscription.expired', {
          subscriptionId: randomUUID(),
          planId,
          courseId: course.id,
          studentId: student.id,
          expiredAt: '',
        }),
      );
      expect(await dropsOf(enrollment.id)).toEqual([]);

      const expired = event('plan.subscription.expired', {
        subscriptionId,
        planId,
        courseId: course.id,
        studentId: student.id,
        expiredAt: new Date().toISOString(),
      });
      await handle(expired);
      await handle(expired);
      // A second expiry message (another event id) finds it dropped already.
      await handle({ ...expired, id: randomUUID(), payload: { ...expired.payload, id: randomUUID() } });
      expect(await dropsOf(enrollment.id)).toEqual([
        {
          enrollmentId: enrollment.id,
          courseId: course.id,
          studentId: student.id,
          reason: 'SUBSCRIPTION_EXPIRED',
          droppedAt: expect.any(String),
        },
      ]);
    });

    it('is recorded once when staff and an expiring subscription drop the same enrollment at once', async () => {
      const student = await newMember(stack, people.admin, 'STUDENT', 'Twice Dropped');
      const course = await publishedCourse(people.teacher, { title: 'Race' });
      const handle = subscriptionEnrollmentConsumer.handler({ orm: coursesService(stack).orm(), logger });
      const subscriptionId = randomUUID();
      const em = coursesEm(stack);
      const enrollment = em.create(Enrollment, {
        schoolId: demo,
        course: em.getReference(Course, course.id),
        studentId: student.id,
        source: EnrollmentSource.SUBSCRIPTION,
        sourceRef: subscriptionId,
      });
      await em.flush();
      const expiredAt = new Date().toISOString();
      const expired = message<DomainEvents['plan.subscription.expired']>({
        id: randomUUID(),
        type: 'plan.subscription.expired',
        version: 1,
        tenantId: demo,
        occurredAt: expiredAt,
        payload: { subscriptionId, planId: randomUUID(), courseId: course.id, studentId: student.id, expiredAt },
      });
      const [staff] = await Promise.all([
        people.teacher.q('mutation($id: ID!) { dropEnrollment(id: $id) { status } }', { id: enrollment.id }),
        handle(expired),
      ]);
      expect(staff.body.data.dropEnrollment.status).toBe('DROPPED');
      expect(await dropsOf(enrollment.id)).toHaveLength(1);
    });
  });

  describe('courses.backfill.requested', () => {
    const request = (): BrokerMessage<DomainEventOf<'courses.backfill.requested'>> =>
      message({
        id: randomUUID(),
        type: 'courses.backfill.requested',
        version: 1,
        tenantId: EVERY_SCHOOL,
        occurredAt: new Date().toISOString(),
        payload: { requestedBy: 'test' },
      });
    const maxSequence = async () =>
      Math.max(0, ...(await coursesService(stack).orm().em.fork().find(OutboxMessage, {})).map((r) => Number(r.sequence)));

    it('sends every course and current enrollment of every school, then a completion per school, once per request', async () => {
      const [active, completed, dropped, removed] = await Promise.all(
        ['Active', 'Completed', 'Dropped', 'Removed'].map((n) => newMember(stack, people.admin, 'STUDENT', `${n} Backfilled`)),
      );
      const course = await publishedCourse(people.teacher, { title: 'Backfilled', students: [active, completed, dropped, removed] });
      const draft = (await people.teacher.ok('mutation { createCourse(input: { title: "Draft backfilled" }) { id } }')).createCourse.id;
      const deleted = await publishedCourse(people.teacher, { title: 'Deleted backfilled', students: [active] });
      await people.teacher.ok('mutation($id: ID!) { deleteCourse(id: $id) }', { id: deleted.id });
      const em = coursesEm(stack);
      const enrollmentOf = async (p: Person) => (await em.findOne(Enrollment, { course: course.id, studentId: p.id }))!.id;
      await em.nativeUpdate(Enrollment, { id: await enrollmentOf(completed) }, { status: EnrollmentStatus.COMPLETED });
      await people.teacher.ok('mutation($id: ID!) { dropEnrollment(id: $id) { id } }', { id: await enrollmentOf(dropped) });
      await people.teacher.ok('mutation($id: ID!) { removeEnrollment(id: $id) }', { id: await enrollmentOf(removed) });
      const nileCourse = (await people.nileAdmin.ok('mutation { createCourse(input: { title: "Nile course" }) { id } }')).createCourse.id;

      const after = await maxSequence();
      const handle = coursesBackfillConsumer.handler({ orm: coursesService(stack).orm(), logger });
      const req = request();
      await handle(req);
      const sent = async <T extends DomainEventType>(type: T) => (await recorded(type)).filter((e) => e.sequence > after);
      const courses = await sent('course.upserted');
      const enrollments = await sent('enrollment.created');
      const completions = await sent('courses.backfill.completed');

      // Every course of each school (deleted ones left out), in its school, with its current state.
      const demoCourses = await coursesEm(stack).find(Course, {});
      expect(
        courses
          .filter((e) => e.tenantId === demo)
          .map((e) => e.payload.courseId)
          .sort(),
      ).toEqual(demoCourses.map((c) => c.id).sort());
      expect(courses.map((e) => e.payload.courseId)).toEqual(expect.arrayContaining([course.id, draft, DEMO_COURSES.math.id]));
      expect(courses.map((e) => e.payload.courseId)).not.toContain(deleted.id);
      expect(courses.find((e) => e.payload.courseId === draft)!.payload).toEqual({
        courseId: draft,
        title: 'Draft backfilled',
        teacherId: people.teacher.id,
        status: 'DRAFT',
      });
      expect(courses.find((e) => e.payload.courseId === nileCourse)!.tenantId).toBe(nile);

      // Current enrollments only (ACTIVE, COMPLETED), marked as backfill.
      const ofCourse = enrollments.filter((e) => e.payload.courseId === course.id).map((e) => e.payload);
      expect(ofCourse.map((p) => p.studentId).sort()).toEqual([active.id, completed.id].sort());
      expect(ofCourse.every((p: EnrollmentCreated) => p.backfill === true && p.enrolledAt)).toBe(true);
      expect(enrollments.some((e) => e.payload.courseId === deleted.id)).toBe(false);
      expect(
        enrollments.some((e) => e.payload.courseId === DEMO_COURSES.math.id && e.payload.studentId === DEMO.users.demoStudent.id),
      ).toBe(true);

      // One completion per school, after that school's events, with what was sent.
      const current = await coursesEm(stack).count(Enrollment, { status: { $ne: EnrollmentStatus.DROPPED } });
      const demoDone = completions.find((e) => e.tenantId === demo)!;
      expect(demoDone.payload).toEqual({ requestId: req.id, courses: demoCourses.length, enrollments: current });
      expect(enrollments.filter((e) => e.tenantId === demo)).toHaveLength(current);
      expect(completions.find((e) => e.tenantId === nile)!.payload).toMatchObject({ requestId: req.id, courses: 1, enrollments: 0 });
      expect(completions.map((e) => e.tenantId).sort()).toEqual([demo, nile].sort());
      const last = Math.max(...[...courses, ...enrollments].filter((e) => e.tenantId === demo).map((e) => e.sequence));
      expect(demoDone.sequence).toBeGreaterThan(last);

      // The same request again (a redelivery) is answered once.
      const total = (await sent('course.upserted')).length + (await sent('enrollment.created')).length;
      await handle(req);
      expect((await sent('course.upserted')).length + (await sent('enrollment.created')).length).toBe(total);
      expect(await sent('courses.backfill.completed')).toHaveLength(2);
      expect(
        await coursesService(stack).orm().em.fork().count(ProcessedMessage, { consumer: coursesBackfillConsumer.queue, messageId: req.id }),
      ).toBe(1);
    });

    it('answers a request that arrives through the broker (the consumer is bound)', async () => {
      const req = request();
      await stack.transport.broker.publish(req.payload.type, req.payload, { id: req.id });
      await eventually(async () => {
        const done = (await recorded('courses.backfill.completed')).filter((e) => e.payload.requestId === req.id);
        expect(done.map((e) => e.tenantId).sort()).toEqual([demo, nile].sort());
      });
    });
  });
});
