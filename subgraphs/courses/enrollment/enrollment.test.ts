import { randomUUID } from 'node:crypto';
import { DEMO } from '../../../platform/demo';
import { OutboxMessage } from '../../../platform/outbox/outbox';
import {
  codes,
  coursesEm,
  coursesService,
  demoPeople,
  knownToCourses,
  newMember,
  publishedCourse,
  type Person,
} from '../../../testkit/courses';
import type { GqlResult } from '../../../testkit/graphql-client';
import { startStack, type Stack } from '../../../testkit/stack';
import { Course } from '../course/course.entity';
import { Attendance, AttendanceStatus } from '../live-session/attendance.entity';
import { LiveSession } from '../live-session/live-session.entity';
import { Enrollment, REMOVED_FILTER } from './enrollment.entity';

const ENROLL = 'mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }';
const REMOVE = 'mutation($id: ID!) { removeEnrollment(id: $id) }';
const ROSTER =
  'query($id: ID!) { course(id: $id) { title enrollmentCount enrollments { totalCount edges { node { id student { id displayName } } } } } }';

/** What the errors say: their codes and the argument they name. */
const refusal = (r: GqlResult) => r.body.errors?.map((e) => [e.extensions?.code, e.extensions?.field]);

/**
 * Every person a courses mutation names must be one of the caller's school with the right role,
 * a bad row never blanks a view, and staff can remove an enrollment made by mistake.
 */
describe.each(['mysql', 'sqlite'] as const)('enrollment references (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let nileStudent: string;
  beforeAll(async () => {
    stack = await startStack(dialect);
    people = await demoPeople(stack);
    // A student of the other school: the right role, the wrong school.
    const invite = await people.nileAdmin.ok('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', {
      i: { email: `pupil.${randomUUID().slice(0, 8)}@nile.test`, displayName: 'Nile Pupil', roles: ['STUDENT'] },
    });
    const accepted = await stack.gql('mutation($t: String!) { acceptInvitation(token: $t, password: "a-long-password") { user { id } } }', {
      tenant: 'nile',
      variables: { t: invite.inviteUser.token },
    });
    nileStudent = accepted.body.data.acceptInvitation.user.id;
    await knownToCourses(stack, { id: nileStudent }, DEMO.schools.nile.id);
  });
  afterAll(() => stack.stop());

  it('enrolls only an active student of the school: BAD_USER_INPUT on studentId for anyone else, nothing created', async () => {
    const { teacher, parent, nileAdmin } = people;
    const course = await publishedCourse(teacher, { title: 'Strict roll' });
    for (const studentId of [parent.id, teacher.id, randomUUID(), 'abc', nileAdmin.id, nileStudent]) {
      expect(refusal(await teacher.q(ENROLL, { c: course.id, s: studentId }))).toEqual([['BAD_USER_INPUT', 'studentId']]);
    }
    expect(await coursesEm(stack).count(Enrollment, { course: course.id })).toBe(0);
    await teacher.ok(ENROLL, { c: course.id, s: people.student.id });
    // The course is checked first: a stranger to the course learns nothing about people.
    expect(codes(await people.student.q(ENROLL, { c: course.id, s: randomUUID() }))).toEqual(['FORBIDDEN']);
  });

  it('makes only an active teacher of the school a course teacher, on create and on update', async () => {
    const { admin, student, parent, nileAdmin } = people;
    const create = 'mutation($i: CreateCourseInput!) { createCourse(input: $i) { id teacher { id } } }';
    for (const teacherId of [student.id, parent.id, randomUUID(), 'abc', nileAdmin.id]) {
      expect(refusal(await admin.q(create, { i: { title: 'Taught by whom?', teacherId } }))).toEqual([['BAD_USER_INPUT', 'teacherId']]);
    }
    expect(await coursesEm(stack).count(Course, { title: 'Taught by whom?' })).toBe(0);

    const { createCourse } = await admin.ok(create, { i: { title: 'Taught well', teacherId: people.teacher.id } });
    expect(createCourse.teacher.id).toBe(people.teacher.id);
    const update = 'mutation($id: ID!, $i: UpdateCourseInput!) { updateCourse(id: $id, input: $i) { teacher { id } } }';
    expect(refusal(await admin.q(update, { id: createCourse.id, i: { teacherId: student.id } }))).toEqual([
      ['BAD_USER_INPUT', 'teacherId'],
    ]);
    const other = await newMember(stack, admin, 'TEACHER', 'Rania Fathy');
    expect((await admin.ok(update, { id: createCourse.id, i: { teacherId: other.id } })).updateCourse.teacher.id).toBe(other.id);
  });

  it('excuses only a student of the school (BAD_USER_INPUT), then only an enrolled one (NOT_FOUND)', async () => {
    const { teacher } = people;
    const course = await publishedCourse(teacher, { title: 'Excuses', students: [people.student] });
    const { scheduleLiveSession } = await teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      { c: course.id, i: { title: 'Q&A', startsAt: new Date(Date.now() + 60_000).toISOString() } },
    );
    const excuse = 'mutation($id: ID!, $s: ID!) { excuseAttendance(sessionId: $id, studentId: $s) { status } }';
    expect(refusal(await teacher.q(excuse, { id: scheduleLiveSession.id, s: 'abc' }))).toEqual([['BAD_USER_INPUT', 'studentId']]);
    expect(refusal(await teacher.q(excuse, { id: scheduleLiveSession.id, s: people.parent.id }))).toEqual([
      ['BAD_USER_INPUT', 'studentId'],
    ]);
    const outsider = await newMember(stack, people.admin, 'STUDENT', 'Not In Class');
    expect(codes(await teacher.q(excuse, { id: scheduleLiveSession.id, s: outsider.id }))).toEqual(['NOT_FOUND']);
  });

  it('keeps the good rows of a view when one row names someone users does not know', async () => {
    const { teacher, admin } = people;
    const course = await publishedCourse(teacher, { title: 'One bad apple', students: [people.student] });
    // A row from before enroll checked its student (the clean-up after a backfill removes such rows; until then the view must hold).
    const ghost = randomUUID();
    const em = coursesEm(stack);
    em.create(Enrollment, { schoolId: DEMO.schools.demo.id, course: em.getReference(Course, course.id), studentId: ghost });
    const session = em.create(LiveSession, {
      schoolId: DEMO.schools.demo.id,
      course: em.getReference(Course, course.id),
      title: 'Past',
      startsAt: new Date(Date.now() - 3600_000),
    });
    em.create(Attendance, { schoolId: DEMO.schools.demo.id, session, studentId: ghost, status: AttendanceStatus.ABSENT });
    em.create(Attendance, { schoolId: DEMO.schools.demo.id, session, studentId: people.student.id, status: AttendanceStatus.PRESENT });
    await em.flush();

    for (const viewer of [teacher, admin]) {
      const r = await viewer.q(ROSTER, { id: course.id });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.course).toEqual({
        title: 'One bad apple',
        enrollmentCount: 1,
        enrollments: {
          totalCount: 1,
          edges: [
            { node: { id: expect.any(String), student: { id: people.student.id, displayName: DEMO.users.demoStudent.displayName } } },
          ],
        },
      });
    }
    const attendance = await teacher.q('query($id: ID!) { liveSession(id: $id) { attendance { status student { displayName } } } }', {
      id: session.id,
    });
    expect(attendance.body.errors).toBeUndefined();
    expect(attendance.body.data.liveSession.attendance).toEqual([
      { status: 'PRESENT', student: { displayName: DEMO.users.demoStudent.displayName } },
    ]);
  });

  describe('removeEnrollment', () => {
    let course: { id: string; lessonIds: string[] };
    let learner: Person;
    let enrollmentId: string;
    beforeAll(async () => {
      learner = await newMember(stack, people.admin, 'STUDENT', 'Wrong Class');
      course = await publishedCourse(people.teacher, { title: 'Removals', lessons: 2, students: [learner, people.student] });
      await learner.ok('mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: course.lessonIds[0] });
      const row = await coursesEm(stack).findOneOrFail(Enrollment, { course: course.id, studentId: learner.id });
      enrollmentId = row.id;
    });

    it('refuses students and teachers of other courses (FORBIDDEN) and unknown ids (NOT_FOUND)', async () => {
      const otherTeacher = await newMember(stack, people.admin, 'TEACHER', 'Other Teacher');
      expect(codes(await learner.q(REMOVE, { id: enrollmentId }))).toEqual(['FORBIDDEN']);
      expect(codes(await people.student.q(REMOVE, { id: enrollmentId }))).toEqual(['FORBIDDEN']);
      expect(codes(await otherTeacher.q(REMOVE, { id: enrollmentId }))).toEqual(['FORBIDDEN']);
      expect(codes(await people.parent.q(REMOVE, { id: enrollmentId }))).toEqual(['FORBIDDEN']);
      expect(codes(await people.nileAdmin.q(REMOVE, { id: enrollmentId }))).toEqual(['NOT_FOUND']);
      expect(codes(await people.teacher.q(REMOVE, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
      expect((await coursesEm(stack).findOneOrFail(Enrollment, enrollmentId)).removedAt ?? null).toBeNull();
    });

    it("lets the course's teacher remove one: gone from roster, counts, the student's list and access; once", async () => {
      expect(await people.teacher.ok(REMOVE, { id: enrollmentId })).toEqual({ removeEnrollment: true });
      const roster = await people.teacher.ok(ROSTER, { id: course.id });
      expect(roster.course.enrollmentCount).toBe(1);
      expect(roster.course.enrollments.edges.map((e: { node: { student: { id: string } } }) => e.node.student.id)).toEqual([
        people.student.id,
      ]);
      expect((await learner.ok('{ me { enrollments { id } } }')).me.enrollments).toEqual([]);
      expect(codes(await learner.q('mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: course.lessonIds[1] }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await people.teacher.q(REMOVE, { id: enrollmentId }))).toEqual(['NOT_FOUND']);
      expect(codes(await people.teacher.q('mutation($id: ID!) { dropEnrollment(id: $id) { id } }', { id: enrollmentId }))).toEqual([
        'NOT_FOUND',
      ]);

      // Soft: the row and its progress are kept, and the event says so once.
      const row = await coursesEm(stack).findOneOrFail(Enrollment, enrollmentId, { filters: { [REMOVED_FILTER]: false } });
      expect(row).toMatchObject({ removedBy: people.teacher.id });
      const events = (await coursesService(stack).orm().em.fork().find(OutboxMessage, { type: 'enrollment.removed' })).map((e) =>
        JSON.parse(e.payload),
      );
      expect(events.filter((p) => p.enrollmentId === enrollmentId)).toEqual([
        expect.objectContaining({ courseId: course.id, studentId: learner.id, reason: 'STAFF' }),
      ]);
    });

    it('brings the enrollment and its progress back when the student is enrolled again', async () => {
      const { enroll } = await people.teacher.ok(
        'mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id status progress } }',
        { c: course.id, s: learner.id },
      );
      expect(enroll).toEqual({ id: enrollmentId, status: 'ACTIVE', progress: 0.5 });
      expect((await people.teacher.ok(ROSTER, { id: course.id })).course.enrollmentCount).toBe(2);
    });

    it('lets a school admin remove one too', async () => {
      const { id } = (await coursesEm(stack).findOneOrFail(Enrollment, { course: course.id, studentId: people.student.id }))!;
      expect(await people.admin.ok(REMOVE, { id })).toEqual({ removeEnrollment: true });
      expect((await people.admin.ok(ROSTER, { id: course.id })).course.enrollmentCount).toBe(1);
    });
  });
});
