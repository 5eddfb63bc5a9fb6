import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { BrokerMessage } from '../../../platform/broker/message-broker';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { DEMO } from '../../../platform/demo';
import type { DomainEventOf, DomainEvents } from '../../../platform/events/domain-events';
import { createLogger } from '../../../platform/logger';
import { OutboxMessage, ProcessedMessage } from '../../../platform/outbox/outbox';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { coursesEm, demoPeople, newMember, pair, publishedCourse } from '../../../testkit/courses';
import { testDatabase } from '../../../testkit/database';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { Enrollment } from '../../courses/enrollment/enrollment.entity';
import { DEMO_COURSES } from '../../courses/seed';
import { Contact } from '../contact/contact.entity';
import { messagingDatabase } from '../database';
import { courseAudience } from './audience';
import { CourseEnrollment } from './course-enrollment.entity';
import { CourseInfo } from './course-info.entity';
import { coursesConsumer } from './course.consumer';
import { courseLoaders } from './course.loaders';

type CourseEventType = 'course.upserted' | 'course.deleted' | 'enrollment.created' | 'enrollment.dropped' | 'enrollment.removed';

const logger = createLogger('test');

/**
 * Messaging's read model of courses and enrollments, kept from courses' events, on its own
 * database: the consumer's handler is called with messages as the broker would deliver them
 * (twice, late, from another school), and the loaders and the audience read it back.
 */
describe.each(['mysql', 'sqlite'] as const)('courses read model (%s)', (dialect) => {
  const db = testDatabase(dialect, 'messaging');
  const schoolA = randomUUID();
  const schoolB = randomUUID();
  let orm: MikroORM;
  let handle: ReturnType<typeof coursesConsumer.handler>;
  const queries: string[] = [];
  beforeAll(async () => {
    orm = await openDatabase({ ...messagingDatabase, ...db.options, onQuery: (sql) => queries.push(sql) });
    handle = coursesConsumer.handler({ orm, logger });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  const emOf = (schoolId: string) => scopeToTenant(orm.em.fork(), schoolId);
  const loadersOf = (schoolId: string) => courseLoaders({ em: emOf(schoolId) } as unknown as LoaderContext);
  const message = <T extends CourseEventType>(type: T, payload: DomainEvents[T], occurredAt: Date, tenantId = schoolA) => {
    const event: DomainEventOf<T> = { id: randomUUID(), type, version: 1, tenantId, occurredAt: occurredAt.toISOString(), payload };
    return {
      id: event.id,
      routingKey: type,
      payload: event as DomainEventOf<CourseEventType>,
      headers: {},
      attempt: 1,
    } satisfies BrokerMessage;
  };
  const course = (courseId: string, s: Partial<DomainEvents['course.upserted']> = {}) => ({
    courseId,
    title: 'Algebra',
    teacherId: randomUUID(),
    status: 'PUBLISHED' as const,
    ...s,
  });
  const enrollment = (enrollmentId: string, courseId: string, studentId: string) => ({
    enrollmentId,
    courseId,
    studentId,
    enrolledAt: new Date().toISOString(),
  });
  const dropped = (enrollmentId: string, courseId: string, studentId: string) => ({
    enrollmentId,
    courseId,
    studentId,
    reason: 'STAFF' as const,
    droppedAt: new Date().toISOString(),
  });

  describe('courses', () => {
    it('keeps the latest state of a course, applying each message once and never an older one over a newer', async () => {
      const id = randomUUID();
      const teacherId = randomUUID();
      const now = Date.now();
      const created = message('course.upserted', course(id, { title: 'Algebra', teacherId, status: 'DRAFT' }), new Date(now));
      await handle(created);
      await handle(created);
      expect(await orm.em.fork().count(ProcessedMessage, { consumer: coursesConsumer.queue, messageId: created.id })).toBe(1);
      await handle(message('course.upserted', course(id, { title: 'Algebra II', teacherId, status: 'PUBLISHED' }), new Date(now + 1000)));
      // Late: an older change arriving after the newer one.
      await handle(
        message('course.upserted', course(id, { title: 'Stale', teacherId: randomUUID(), status: 'ARCHIVED' }), new Date(now + 500)),
      );
      expect(await emOf(schoolA).findOne(CourseInfo, { id })).toMatchObject({
        schoolId: schoolA,
        title: 'Algebra II',
        teacherId,
        status: 'PUBLISHED',
        deletedAt: null,
        observedAt: new Date(now + 1000),
      });
      expect(await loadersOf(schoolA).taughtCourseIds.load(teacherId)).toEqual([id]);
    });

    it('marks a deleted course, whatever the order; lesson and quiz deletions are not about the course', async () => {
      const id = randomUUID();
      const teacherId = randomUUID();
      const now = Date.now();
      await handle(message('course.upserted', course(id, { teacherId }), new Date(now)));
      const deletion = (payload: Partial<DomainEvents['course.deleted']>) => ({
        courseId: id,
        deletedBy: teacherId,
        deletedAt: new Date(now + 2000).toISOString(),
        ...payload,
      });
      await handle(message('course.deleted', deletion({ lessonId: randomUUID() }), new Date(now + 1000)));
      await handle(message('course.deleted', deletion({ quizId: randomUUID() }), new Date(now + 1000)));
      expect((await emOf(schoolA).findOne(CourseInfo, { id }))!.deletedAt ?? null).toBeNull();

      await handle(message('course.deleted', deletion({}), new Date(now + 2000)));
      // A change older than the deletion arriving late does not bring it back.
      await handle(message('course.upserted', course(id, { teacherId, title: 'Back?' }), new Date(now + 1500)));
      const info = (await emOf(schoolA).findOne(CourseInfo, { id }))!;
      expect(info.deletedAt).toEqual(new Date(now + 2000));
      expect(info.title).toBe('Algebra');
      expect(await loadersOf(schoolA).taughtCourseIds.load(teacherId)).toEqual([]);
      expect(await loadersOf(schoolA).courseInfo.load(id)).toMatchObject({ id, deletedAt: new Date(now + 2000) });

      // Deleted before messaging heard of it: its late creation changes nothing.
      const unseen = randomUUID();
      await handle(
        message('course.deleted', { courseId: unseen, deletedBy: teacherId, deletedAt: new Date(now).toISOString() }, new Date(now)),
      );
      await handle(message('course.upserted', course(unseen, { teacherId }), new Date(now - 1000)));
      expect((await emOf(schoolA).findOne(CourseInfo, { id: unseen }))!.deletedAt).toEqual(new Date(now));
      expect(await loadersOf(schoolA).taughtCourseIds.load(teacherId)).toEqual([]);
    });
  });

  describe('enrollments', () => {
    it('follows created, dropped, created again (a restored enrollment) and removed, in order of occurrence', async () => {
      const [id, courseId, studentId] = [randomUUID(), randomUUID(), randomUUID()];
      const now = Date.now();
      const activeOf = async () => (await emOf(schoolA).findOne(CourseEnrollment, { id }))?.active;
      const created = message('enrollment.created', enrollment(id, courseId, studentId), new Date(now));
      await handle(created);
      await handle(created);
      expect(await activeOf()).toBe(true);
      await handle(message('enrollment.dropped', dropped(id, courseId, studentId), new Date(now + 1000)));
      expect(await activeOf()).toBe(false);
      // The same (redelivered) creation does not undo the drop, nor does an older one.
      await handle(created);
      await handle(message('enrollment.created', enrollment(id, courseId, studentId), new Date(now + 500)));
      expect(await activeOf()).toBe(false);
      await handle(message('enrollment.created', { ...enrollment(id, courseId, studentId), backfill: true }, new Date(now + 2000)));
      expect(await activeOf()).toBe(true);
      expect(await loadersOf(schoolA).activeStudentIds.load(courseId)).toEqual([studentId]);
      expect(await loadersOf(schoolA).activeCourseIdsOfStudent.load(studentId)).toEqual([courseId]);
      await handle(
        message(
          'enrollment.removed',
          { enrollmentId: id, courseId, studentId, reason: 'STAFF', removedAt: new Date().toISOString() },
          new Date(now + 3000),
        ),
      );
      expect(await activeOf()).toBe(false);
      expect(await loadersOf(schoolA).activeStudentIds.load(courseId)).toEqual([]);
      expect(await emOf(schoolA).count(CourseEnrollment, { id })).toBe(1);
    });

    it('keeps a drop that arrives before its enrollment: the older creation changes nothing', async () => {
      const [id, courseId, studentId] = [randomUUID(), randomUUID(), randomUUID()];
      const now = Date.now();
      await handle(message('enrollment.dropped', dropped(id, courseId, studentId), new Date(now)));
      await handle(message('enrollment.created', enrollment(id, courseId, studentId), new Date(now - 1000)));
      expect(await emOf(schoolA).findOne(CourseEnrollment, { id })).toMatchObject({ courseId, studentId, active: false });
    });

    it("answers a student's courses and a course's students without deleted courses, batched", async () => {
      const studentId = randomUUID();
      const [kept, deleted] = [randomUUID(), randomUUID()];
      const now = new Date();
      for (const courseId of [kept, deleted]) {
        await handle(message('course.upserted', course(courseId), now));
        await handle(message('enrollment.created', enrollment(randomUUID(), courseId, studentId), now));
      }
      const other = randomUUID();
      await handle(message('enrollment.created', enrollment(randomUUID(), kept, other), now));
      await handle(message('course.deleted', { courseId: deleted, deletedBy: studentId, deletedAt: now.toISOString() }, now));
      const loaders = loadersOf(schoolA);
      const [courses, keptStudents, deletedStudents] = await Promise.all([
        loaders.activeCourseIdsOfStudent.load(studentId),
        loaders.activeStudentIds.load(kept),
        loaders.activeStudentIds.load(deleted),
      ]);
      expect(courses).toEqual([kept]);
      expect(keptStudents.sort()).toEqual([studentId, other].sort());
      expect(deletedStudents).toEqual([]);
    });
  });

  describe('tenant isolation', () => {
    it("never shows another school's courses or enrollments, and another school's event cannot change them", async () => {
      const [courseA, courseB, enrollmentA, student] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const teacherId = randomUUID();
      const now = new Date();
      await handle(message('course.upserted', course(courseA, { teacherId, title: 'A' }), now, schoolA));
      await handle(message('course.upserted', course(courseB, { teacherId, title: 'B' }), now, schoolB));
      await handle(message('enrollment.created', enrollment(enrollmentA, courseA, student), now, schoolA));
      await handle(message('enrollment.created', enrollment(randomUUID(), courseB, student), now, schoolB));

      const a = loadersOf(schoolA);
      expect(await a.courseInfo.load(courseB)).toBeNull();
      expect(await a.taughtCourseIds.load(teacherId)).toEqual([courseA]);
      expect(await a.activeCourseIdsOfStudent.load(student)).toEqual([courseA]);
      expect(await a.activeStudentIds.load(courseB)).toEqual([]);
      expect(await loadersOf(schoolB).activeCourseIdsOfStudent.load(student)).toEqual([courseB]);
      expect((await courseAudience(emOf(schoolB), courseA)).course).toBeNull();

      // Events forged in school B about school A's rows fail (the ids are taken there) and change nothing.
      const later = new Date(now.getTime() + 60_000);
      for (const forged of [
        message('course.upserted', course(courseA, { title: 'Hijacked' }), later, schoolB),
        message('enrollment.dropped', dropped(enrollmentA, courseA, student), later, schoolB),
      ]) {
        await expect(handle(forged)).rejects.toThrow();
      }
      expect((await a.courseInfo.load(courseA))!.title).toBe('A');
      expect((await emOf(schoolA).findOne(CourseEnrollment, { id: enrollmentA }))!.active).toBe(true);
      // A deletion in school B of school A's course is B's own placeholder, never A's course.
      await handle(
        message('course.deleted', { courseId: courseA, deletedBy: teacherId, deletedAt: later.toISOString() }, later, schoolB),
      ).catch(() => undefined);
      expect((await emOf(schoolA).findOne(CourseInfo, { id: courseA }))!.deletedAt ?? null).toBeNull();
    });
  });

  describe('courseAudience', () => {
    it('answers 10,000 students and their guardians in three queries, leaving out former students and other schools', async () => {
      const courseId = randomUUID();
      const now = new Date();
      await handle(message('course.upserted', course(courseId, { title: 'Big class' }), now));
      const students = Array.from({ length: 10_000 }, () => randomUUID());
      const left = randomUUID();
      const em = emOf(schoolA);
      const rows = [
        ...students.map((studentId) => ({ id: randomUUID(), schoolId: schoolA, courseId, studentId, active: true, observedAt: now })),
        { id: randomUUID(), schoolId: schoolA, courseId, studentId: left, active: false, observedAt: now },
      ];
      // Guardians: one for every even student, two for student 0; a parent of a former student; and
      // a link in another school naming one of these students (never theirs).
      const links = [
        ...students
          .filter((_, i) => i % 2 === 0)
          .map((studentId) => ({ id: randomUUID(), schoolId: schoolA, guardianId: randomUUID(), studentId, linkedAt: now })),
        { id: randomUUID(), schoolId: schoolA, guardianId: randomUUID(), studentId: students[0], linkedAt: now },
        { id: randomUUID(), schoolId: schoolA, guardianId: randomUUID(), studentId: left, linkedAt: now },
        { id: randomUUID(), schoolId: schoolB, guardianId: randomUUID(), studentId: students[1], linkedAt: now },
      ];
      // In chunks: SQLite takes a limited number of parameters per statement.
      for (let i = 0; i < rows.length; i += 1000) await em.insertMany(CourseEnrollment, rows.slice(i, i + 1000));
      for (let i = 0; i < links.length; i += 1000) await em.insertMany(GuardianLink, links.slice(i, i + 1000));

      queries.length = 0;
      const audience = await courseAudience(emOf(schoolA), courseId);
      expect(queries.filter((q) => /^\s*select/i.test(q))).toHaveLength(3);
      expect(audience.course).toMatchObject({ id: courseId, title: 'Big class' });
      expect(audience.studentIds).toHaveLength(10_000);
      expect(new Set(audience.studentIds)).toEqual(new Set(students));
      expect(audience.guardianIdsByStudent.size).toBe(5_000);
      expect(audience.guardianIdsByStudent.get(students[0])).toHaveLength(2);
      expect(audience.guardianIdsByStudent.has(students[1])).toBe(false);
      expect(audience.guardianIdsByStudent.has(left)).toBe(false);
      const expected = links.filter((l) => l.schoolId === schoolA && l.studentId === students[2]).map((l) => l.guardianId);
      expect(audience.guardianIdsByStudent.get(students[2])).toEqual(expected);
    });

    it('has nobody for a deleted or unknown course', async () => {
      const courseId = randomUUID();
      const now = new Date();
      await handle(message('course.upserted', course(courseId), now));
      await handle(message('enrollment.created', enrollment(randomUUID(), courseId, randomUUID()), now));
      expect((await courseAudience(emOf(schoolA), courseId)).studentIds).toHaveLength(1);
      await handle(message('course.deleted', { courseId, deletedBy: randomUUID(), deletedAt: now.toISOString() }, now));
      const deleted = await courseAudience(emOf(schoolA), courseId);
      expect(deleted.course!.deletedAt).toEqual(now);
      expect(deleted.studentIds).toEqual([]);
      expect(await courseAudience(emOf(schoolA), randomUUID())).toEqual({ course: null, studentIds: [], guardianIdsByStudent: new Map() });
    });
  });
});

/**
 * End to end: a messaging that starts with empty read models asks users and courses for
 * everything (the backfill at start) and follows later changes through the broker.
 */
describe.each(['mysql', 'sqlite'] as const)('courses read model through courses (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users', 'courses', 'messaging'] });
    people = await demoPeople(stack);
  });
  afterAll(() => stack.stop());
  const messaging = () => stack.service<SubgraphService>('messaging');
  const em = (schoolId: string = DEMO.schools.demo.id) => scopeToTenant(messaging().orm().em.fork(), schoolId);

  it('knows the seeded courses, their students and every person after its first start', async () => {
    await eventually(async () => {
      expect(await em().findOne(CourseInfo, { id: DEMO_COURSES.math.id })).toMatchObject({
        title: DEMO_COURSES.math.title,
        teacherId: DEMO.users.demoTeacher.id,
        status: 'PUBLISHED',
      });
      expect(await em().findOne(CourseInfo, { id: DEMO_COURSES.arabic.id })).toMatchObject({ title: DEMO_COURSES.arabic.title });
      const audience = await courseAudience(em(), DEMO_COURSES.math.id);
      expect(audience.studentIds).toEqual([DEMO.users.demoStudent.id]);
      // The guardian links come with the people backfill.
      expect(audience.guardianIdsByStudent.get(DEMO.users.demoStudent.id)).toEqual([DEMO.users.demoParent.id]);
      expect(await em().count(Contact, {})).toBeGreaterThanOrEqual(4);
    });
    const all = await messaging()
      .orm()
      .em.fork()
      .find(CourseInfo, {}, { filters: { [TENANT_FILTER]: false } });
    expect(all.every((c) => c.schoolId === DEMO.schools.demo.id)).toBe(true);
    // Courses answered the request of this start, for every school.
    const completions = await stack
      .service<SubgraphService>('courses')
      .orm()
      .em.fork()
      .find(OutboxMessage, { type: 'courses.backfill.completed' });
    expect(completions.map((c) => c.tenantId).sort()).toEqual([DEMO.schools.demo.id, DEMO.schools.nile.id].sort());
  });

  it('follows new courses, enrollments, drops, guardians and deletions as they happen', async () => {
    const [student, parent] = [
      await newMember(stack, people.admin, 'STUDENT', 'Read Model Student'),
      await newMember(stack, people.admin, 'PARENT', 'Read Model Parent'),
    ];
    await pair(student, parent);
    const course = await publishedCourse(people.teacher, { title: 'Followed', students: [student] });
    await eventually(async () => {
      const audience = await courseAudience(em(), course.id);
      expect(audience.course).toMatchObject({ title: 'Followed', teacherId: people.teacher.id, status: 'PUBLISHED' });
      expect(audience.studentIds).toEqual([student.id]);
      expect(audience.guardianIdsByStudent.get(student.id)).toEqual([parent.id]);
    });

    const enrollment = (await coursesEm(stack).findOne(Enrollment, { course: course.id, studentId: student.id }))!;
    await people.teacher.ok('mutation($id: ID!) { dropEnrollment(id: $id) { id } }', { id: enrollment.id });
    await eventually(async () => expect((await courseAudience(em(), course.id)).studentIds).toEqual([]));

    await people.teacher.ok('mutation($id: ID!) { deleteCourse(id: $id) }', { id: course.id });
    await eventually(async () => expect((await em().findOne(CourseInfo, { id: course.id }))!.deletedAt).toBeInstanceOf(Date));
  });
});
