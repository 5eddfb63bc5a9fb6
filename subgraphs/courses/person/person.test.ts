import { randomUUID } from 'node:crypto';
import { Roles, type RoleName } from '../../../platform/auth/roles';
import type { BrokerMessage } from '../../../platform/broker/message-broker';
import { TENANT_FILTER } from '../../../platform/db/tenant';
import { DEMO } from '../../../platform/demo';
import type { DomainEventOf } from '../../../platform/events/domain-events';
import { createLogger } from '../../../platform/logger';
import { OutboxMessage, ProcessedMessage } from '../../../platform/outbox/outbox';
import { codes, coursesEm, coursesService, demoPeople, newMember, publishedCourse } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { Course } from '../course/course.entity';
import { CLEANUP_REMOVER, danglingEnrollmentsConsumer } from '../enrollment/dangling.consumer';
import { Enrollment, REMOVED_FILTER } from '../enrollment/enrollment.entity';
import { Person } from '../../../platform/people/person.entity';
import { peopleConsumer } from '../../../platform/people/read-models';

const demo = DEMO.schools.demo.id;

/**
 * Courses' read model of people: fed by users' `user.upserted` events, filled by a backfill when
 * it starts empty (or when asked), and followed by the clean-up of enrollments that name no student.
 */
describe.each(['mysql', 'sqlite'] as const)('people read model (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  beforeAll(async () => {
    stack = await startStack(dialect);
    people = await demoPeople(stack);
  });
  afterAll(() => stack.stop());

  const allPeople = () =>
    coursesService(stack)
      .orm()
      .em.fork()
      .find(Person, {}, { filters: { [TENANT_FILTER]: false } });
  const cleanups = () => coursesService(stack).orm().em.fork().count(ProcessedMessage, { consumer: danglingEnrollmentsConsumer.queue });
  const upserted = (payload: { userId: string; roles: RoleName[]; active?: boolean }, occurredAt: Date) => {
    const event: DomainEventOf<'user.upserted'> = {
      id: randomUUID(),
      type: 'user.upserted',
      version: 1,
      tenantId: demo,
      occurredAt: occurredAt.toISOString(),
      payload: { active: true, displayName: 'Someone', ...payload },
    };
    return { id: event.id, routingKey: event.type, payload: event, headers: {}, attempt: 1 } satisfies BrokerMessage;
  };

  it('knows the seeded people after its first start (backfill), with their school and roles', async () => {
    const known = new Map((await allPeople()).map((p) => [p.id, p]));
    const expected: Array<[{ id: string; displayName: string }, string, RoleName]> = [
      [DEMO.users.demoAdmin, demo, Roles.SCHOOL_ADMIN],
      [DEMO.users.demoTeacher, demo, Roles.TEACHER],
      [DEMO.users.demoStudent, demo, Roles.STUDENT],
      [DEMO.users.demoParent, demo, Roles.PARENT],
      [DEMO.users.nileAdmin, DEMO.schools.nile.id, Roles.SCHOOL_ADMIN],
    ];
    for (const [user, schoolId, role] of expected) {
      expect(known.get(user.id)).toMatchObject({ schoolId, roles: [role], active: true, displayName: user.displayName });
    }
    // Asked once, at the first start, for every school.
    const requests = await coursesService(stack).orm().em.fork().find(OutboxMessage, { type: 'people.backfill.requested' });
    expect(requests).toHaveLength(1);
    expect(requests[0].tenantId).toBe('00000000-0000-0000-0000-000000000000');
  });

  it('learns of a person who joins later (invitation accepted) from user.upserted', async () => {
    const teacher = await newMember(stack, people.admin, 'TEACHER', 'Hoda Sami');
    expect(await coursesEm(stack).findOne(Person, { id: teacher.id })).toMatchObject({ roles: [Roles.TEACHER], displayName: 'Hoda Sami' });
    // …and so they can teach at once.
    const { createCourse } = await people.admin.ok('mutation($i: CreateCourseInput!) { createCourse(input: $i) { teacher { id } } }', {
      i: { title: 'Chemistry', teacherId: teacher.id },
    });
    expect(createCourse.teacher.id).toBe(teacher.id);
  });

  it('applies an event once however often it arrives, and never an older one over a newer', async () => {
    const handle = peopleConsumer('courses').handler({ orm: coursesService(stack).orm(), logger: createLogger('test') });
    const userId = randomUUID();
    const now = Date.now();
    const newer = upserted({ userId, roles: [Roles.TEACHER] }, new Date(now));
    await handle(newer);
    await handle(newer);
    await handle(upserted({ userId, roles: [Roles.STUDENT] }, new Date(now - 60_000)));
    expect(await coursesEm(stack).findOne(Person, { id: userId })).toMatchObject({ roles: [Roles.TEACHER], active: true });
    expect(
      await coursesService(stack)
        .orm()
        .em.fork()
        .count(ProcessedMessage, { consumer: peopleConsumer('courses').queue, messageId: newer.id }),
    ).toBe(1);

    // Deactivated: still known (history names them), no longer a valid reference.
    await handle(upserted({ userId, roles: [Roles.TEACHER], active: false }, new Date(now + 1)));
    expect((await coursesEm(stack).findOne(Person, { id: userId }))!.active).toBe(false);
    const refused = await people.admin.q('mutation($i: CreateCourseInput!) { createCourse(input: $i) { id } }', {
      i: { title: 'Ghost class', teacherId: userId },
    });
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors![0].extensions!.field).toBe('teacherId');
  });

  it('asks for every person again when it starts with an empty read model', async () => {
    const before = await cleanups();
    await coursesService(stack)
      .orm()
      .em.fork()
      .nativeDelete(Person, {}, { filters: { [TENANT_FILTER]: false } });
    await stack.restart('courses');
    await eventually(async () => {
      const ids = (await allPeople()).map((p) => p.id);
      expect(ids).toEqual(expect.arrayContaining(Object.values(DEMO.users).map((u) => u.id)));
      expect(await cleanups()).toBe(before + Object.keys(DEMO.schools).length);
    }, 60_000);
  }, 90_000);

  it('cleans up enrollments naming no student once the backfill is complete, and only then', async () => {
    const course = await publishedCourse(people.teacher, { title: 'Roll call', students: [people.student] });
    const em = coursesEm(stack);
    const intruders = [randomUUID(), people.parent.id, people.teacher.id, people.nileAdmin.id];
    for (const studentId of intruders) em.create(Enrollment, { schoolId: demo, course: em.getReference(Course, course.id), studentId });
    await em.flush();

    // A completion the read model has not caught up with (more people than it knows): nothing is removed, the delivery fails for a retry.
    const handle = danglingEnrollmentsConsumer.handler({ orm: coursesService(stack).orm(), logger: createLogger('test') });
    const early: DomainEventOf<'people.backfill.completed'> = {
      id: randomUUID(),
      type: 'people.backfill.completed',
      version: 1,
      tenantId: demo,
      occurredAt: new Date().toISOString(),
      payload: { requestId: randomUUID(), people: 10_000 },
    };
    await expect(handle({ id: early.id, routingKey: early.type, payload: early, headers: {}, attempt: 1 })).rejects.toThrow(
      /clean-up waits/,
    );
    expect(await coursesEm(stack).count(Enrollment, { course: course.id })).toBe(5);

    // Asked for on start (PEOPLE_BACKFILL=always): users answers, then the clean-up runs per school.
    const before = await cleanups();
    await stack.restart('courses', { PEOPLE_BACKFILL: 'always' });
    await eventually(async () => expect(await cleanups()).toBe(before + Object.keys(DEMO.schools).length));

    const rows = await coursesEm(stack).find(Enrollment, { course: course.id }, { filters: { [REMOVED_FILTER]: false } });
    const removed = rows.filter((r) => r.removedAt).map((r) => r.studentId);
    expect(removed.sort()).toEqual([...intruders].sort());
    expect(rows.filter((r) => r.removedAt).every((r) => r.removedBy === CLEANUP_REMOVER)).toBe(true);
    expect(rows.filter((r) => !r.removedAt).map((r) => r.studentId)).toEqual([people.student.id]);
    const events = await coursesService(stack).orm().em.fork().find(OutboxMessage, { type: 'enrollment.removed' });
    expect(events.map((e) => JSON.parse(e.payload)).filter((p) => p.courseId === course.id)).toEqual(
      expect.arrayContaining(intruders.map((studentId) => expect.objectContaining({ studentId, reason: 'UNKNOWN_STUDENT' }))),
    );
    // The demo enrollments were good, and stay.
    expect(await coursesEm(stack).count(Enrollment, { studentId: people.student.id })).toBeGreaterThanOrEqual(3);

    const roster = await people.teacher.ok('query($id: ID!) { course(id: $id) { enrollmentCount enrollments { totalCount } } }', {
      id: course.id,
    });
    expect(roster.course).toEqual({ enrollmentCount: 1, enrollments: { totalCount: 1 } });
  });
});
