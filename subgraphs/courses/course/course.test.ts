import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER } from '../../../platform/auth/internal-context';
import { keySetFromJwks } from '../../../platform/auth/keys';
import { DEMO } from '../../../platform/demo';
import { OutboxMessage } from '../../../platform/outbox/outbox';
import { gql } from '../../../testkit/graphql-client';
import { startStack, type Stack } from '../../../testkit/stack';
import { codes, coursesEm, coursesService, demoPeople, publishedCourse, type Person } from '../../../testkit/courses';
import { DEMO_COURSES } from '../seed';
import { Course } from './course.entity';

/** Courses through the gateway, with the users subgraph resolving teachers and students. */
describe.each(['mysql', 'sqlite'] as const)('courses through the gateway (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  beforeAll(async () => {
    stack = await startStack(dialect);
    people = await demoPeople(stack);
  });
  afterAll(() => stack.stop());

  it('lists courses with their teacher (from users) and enrollment count, as the demo student', async () => {
    const data = await people.student.ok(
      '{ courses(first: 10) { totalCount edges { node { title teacher { displayName } enrollmentCount } } } }',
    );
    expect(data.courses.edges.map((e: { node: unknown }) => e.node)).toEqual(
      expect.arrayContaining([
        { title: DEMO_COURSES.math.title, teacher: { displayName: DEMO.users.demoTeacher.displayName }, enrollmentCount: 1 },
        { title: DEMO_COURSES.arabic.title, teacher: { displayName: DEMO.users.demoTeacher.displayName }, enrollmentCount: 1 },
      ]),
    );
  });

  it("answers the demo student's enrollments with progress and course, crossing from users to courses", async () => {
    const data = await people.student.ok('{ me { displayName enrollments { progress status course { title } } } }');
    expect(data.me.displayName).toBe(DEMO.users.demoStudent.displayName);
    expect(data.me.enrollments).toEqual(
      expect.arrayContaining([
        { progress: 1 / 3, status: 'ACTIVE', course: { title: DEMO_COURSES.math.title } },
        { progress: 0, status: 'ACTIVE', course: { title: DEMO_COURSES.arabic.title } },
      ]),
    );
  });

  it('takes a course from draft to published to archived, visible to students only once published', async () => {
    const { teacher, student } = people;
    const created = await teacher.ok(
      'mutation { createCourse(input: { title: "  Chemistry  ", subject: "Science" }) { id title status teacher { id } school { id } } }',
    );
    expect(created.createCourse).toMatchObject({
      title: 'Chemistry',
      status: 'DRAFT',
      teacher: { id: teacher.id },
      school: { id: DEMO.schools.demo.id },
    });
    const id = created.createCourse.id;
    const asStudent = 'query($id: ID!) { course(id: $id) { title status } }';
    expect((await student.ok(asStudent, { id })).course).toBeNull();

    const updated = await teacher.ok(
      'mutation($id: ID!) { updateCourse(id: $id, input: { description: "Atoms", gradeLevel: "Grade 9", subject: null }) { description gradeLevel subject } }',
      { id },
    );
    expect(updated.updateCourse).toEqual({ description: 'Atoms', gradeLevel: 'Grade 9', subject: null });
    await teacher.ok('mutation($id: ID!) { publishCourse(id: $id) { status } }', { id });
    expect((await student.ok(asStudent, { id })).course).toEqual({ title: 'Chemistry', status: 'PUBLISHED' });

    await teacher.ok('mutation($id: ID!) { archiveCourse(id: $id) { status } }', { id });
    expect((await student.ok(asStudent, { id })).course).toBeNull(); // not enrolled: archived courses are gone for them
    expect(codes(await teacher.q('mutation($id: ID!) { updateCourse(id: $id, input: { title: "New" }) { id } }', { id }))).toEqual([
      'CONFLICT',
    ]);
    const statuses = await people.admin.ok('{ courses(status: ARCHIVED, first: 100) { edges { node { id } } } }');
    expect(statuses.courses.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(id);
  });

  it('lets only the course teacher and school admins change a course', async () => {
    const { admin, student, teacher, parent } = people;
    const other = await teacher.ok('mutation { createCourse(input: { title: "Biology" }) { id } }');
    const id = other.createCourse.id;
    await admin.ok('mutation($id: ID!) { publishCourse(id: $id) { id } }', { id });
    expect(codes(await student.q('mutation { createCourse(input: { title: "Mine" }) { id } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await parent.q('mutation($id: ID!) { archiveCourse(id: $id) { id } }', { id }))).toEqual(['FORBIDDEN']);
    expect(
      codes(await teacher.q('mutation($t: ID!) { createCourse(input: { title: "For Amal", teacherId: $t }) { id } }', { t: admin.id })),
    ).toEqual(['FORBIDDEN']);
    const assigned = await admin.ok(
      'mutation($t: ID!) { createCourse(input: { title: "Assigned", teacherId: $t }) { teacher { id displayName } } }',
      { t: teacher.id },
    );
    expect(assigned.createCourse.teacher).toEqual({ id: teacher.id, displayName: DEMO.users.demoTeacher.displayName });
    expect(codes(await stack.gql('{ courses { totalCount } }', { tenant: 'demo' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses bad input with a clear code and changes nothing', async () => {
    const { teacher } = people;
    const before = await coursesEm(stack).count(Course, {});
    const blank = await teacher.q('mutation { createCourse(input: { title: "   " }) { id } }');
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
    expect(blank.body.errors![0].message).toMatch(/title/);
    const empty = await teacher.q('mutation { createCourse(input: { title: "" }) { id } }');
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    const unknown = await teacher.q('mutation { publishCourse(id: "0b8f5a2e-0000-4000-8000-00000000dead") { id } }');
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const cleared = await teacher.q('mutation($id: ID!) { updateCourse(id: $id, input: { title: null }) { id } }', {
      id: DEMO_COURSES.math.id,
    });
    expect(codes(cleared)).toEqual(['BAD_USER_INPUT']);
    expect(await coursesEm(stack).count(Course, {})).toBe(before);
    expect((await people.admin.ok('query($id: ID!) { course(id: $id) { title } }', { id: DEMO_COURSES.math.id })).course.title).toBe(
      DEMO_COURSES.math.title,
    );
  });

  it('keeps schools apart: another school sees none of these courses, by list, id or entity reference', async () => {
    const { nileAdmin } = people;
    const list = await nileAdmin.ok('{ courses(first: 100) { totalCount } }');
    expect(list.courses.totalCount).toBe(0);
    expect((await nileAdmin.ok('query($id: ID!) { course(id: $id) { id } }', { id: DEMO_COURSES.math.id })).course).toBeNull();
    expect(codes(await nileAdmin.q('mutation($id: ID!) { archiveCourse(id: $id) { id } }', { id: DEMO_COURSES.math.id }))).toEqual([
      'NOT_FOUND',
    ]);
    const nileCourse = await nileAdmin.ok('mutation { createCourse(input: { title: "Nile only" }) { id } }');
    expect((await people.admin.ok('query($id: ID!) { course(id: $id) { id } }', { id: nileCourse.createCourse.id })).course).toBeNull();
  });

  it('resolves Course and LiveSession entity references only for callers who may see them, in their school', async () => {
    const draft = await people.teacher.ok('mutation { createCourse(input: { title: "Hidden draft" }) { id } }');
    const sign = createInternalContextSigner(await keySetFromJwks(JSON.parse(stack.keys.internal)));
    const entities = async (tenant: { id: string; slug: string }, user: { id: string; roles: string[] }) => {
      const token = await sign({ tenant, user }, 'courses');
      const r = await gql(
        `${stack.url('courses')}/graphql`,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Course { title } ... on LiveSession { title } } }',
        {
          headers: { [INTERNAL_CONTEXT_HEADER]: token },
          variables: {
            r: [
              { __typename: 'Course', id: DEMO_COURSES.math.id },
              { __typename: 'Course', id: draft.createCourse.id },
              { __typename: 'LiveSession', id: DEMO_COURSES.mathLive.id },
            ],
          },
        },
      );
      return r.body.data._entities;
    };
    const demo = { id: DEMO.schools.demo.id, slug: 'demo' };
    expect(await entities(demo, { id: people.student.id, roles: ['STUDENT'] })).toEqual([
      { title: DEMO_COURSES.math.title },
      null,
      { title: 'Live revision: linear equations' },
    ]);
    expect((await entities(demo, { id: people.teacher.id, roles: ['TEACHER'] }))[1]).toEqual({ title: 'Hidden draft' });
    const nile = { id: DEMO.schools.nile.id, slug: 'nile' };
    expect(await entities(nile, { id: people.nileAdmin.id, roles: ['SCHOOL_ADMIN'] })).toEqual([null, null, null]);
  });

  describe('lessons and progress', () => {
    let course: { id: string; lessonIds: string[] };
    let learner: Person;
    beforeAll(async () => {
      learner = people.student;
      course = await publishedCourse(people.teacher, { title: 'Geometry', lessons: 3, students: [learner] });
    });

    it('orders lessons, hides their content from students of other courses, and reorders them', async () => {
      const { teacher, parent } = people;
      const q = 'query($id: ID!) { course(id: $id) { lessons { id position title content completed } } }';
      const asLearner = await learner.ok(q, { id: course.id });
      expect(asLearner.course.lessons.map((l: { position: number; content: string }) => [l.position, l.content])).toEqual([
        [1, 'Text 1'],
        [2, 'Text 2'],
        [3, 'Text 3'],
      ]);
      const asParent = await parent.ok(q, { id: course.id });
      expect(asParent.course.lessons.every((l: { content: string | null }) => l.content === null)).toBe(true);
      const [a, b, c] = course.lessonIds;
      const reordered = await teacher.ok(
        'mutation($c: ID!, $ids: [ID!]!) { reorderLessons(courseId: $c, lessonIds: $ids) { id position } }',
        { c: course.id, ids: [c, a, b] },
      );
      expect(reordered.reorderLessons).toEqual([
        { id: c, position: 1 },
        { id: a, position: 2 },
        { id: b, position: 3 },
      ]);
      const partial = await teacher.q('mutation($c: ID!, $ids: [ID!]!) { reorderLessons(courseId: $c, lessonIds: $ids) { id } }', {
        c: course.id,
        ids: [a, a, b],
      });
      expect(codes(partial)).toEqual(['BAD_USER_INPUT']);
      expect((await learner.ok(q, { id: course.id })).course.lessons.map((l: { id: string }) => l.id)).toEqual([c, a, b]);
    });

    it('counts completed lessons as progress, completes the enrollment with the last one, and reopens it for a new lesson', async () => {
      const complete = 'mutation($l: ID!) { completeLesson(lessonId: $l) { status progress completedLessons { id } } }';
      const first = await learner.ok(complete, { l: course.lessonIds[0] });
      expect(first.completeLesson).toMatchObject({ status: 'ACTIVE', progress: 1 / 3 });
      const again = await learner.ok(complete, { l: course.lessonIds[0] });
      expect(again.completeLesson.progress).toBe(1 / 3);
      await learner.ok(complete, { l: course.lessonIds[1] });
      const last = await learner.ok(complete, { l: course.lessonIds[2] });
      expect(last.completeLesson).toMatchObject({ status: 'COMPLETED', progress: 1 });
      const lessons = await learner.ok('query($id: ID!) { course(id: $id) { lessons { completed } } }', { id: course.id });
      expect(lessons.course.lessons.every((l: { completed: boolean }) => l.completed)).toBe(true);
      // One lesson.completed per first completion (none for the repeat), in the outbox with the change.
      const events = await coursesService(stack)
        .orm()
        .em.fork()
        .find(OutboxMessage, { type: 'lesson.completed' }, { orderBy: { sequence: 'asc' } });
      const recorded = events.map((e) => JSON.parse(e.payload)).filter((p) => p.courseId === course.id);
      expect(recorded.map((p) => [p.lessonId, p.studentId, p.progress])).toEqual([
        [course.lessonIds[0], learner.id, 1 / 3],
        [course.lessonIds[1], learner.id, 2 / 3],
        [course.lessonIds[2], learner.id, 1],
      ]);

      await people.teacher.ok(
        'mutation($c: ID!) { addLesson(courseId: $c, input: { title: "Bonus", kind: VIDEO, durationSeconds: 90 }) { position } }',
        { c: course.id },
      );
      const mine = await learner.ok('{ me { enrollments { status progress course { id } } } }');
      expect(mine.me.enrollments.find((e: { course: { id: string } }) => e.course.id === course.id)).toMatchObject({
        status: 'ACTIVE',
        progress: 0.75,
      });
    });

    it('refuses lesson changes with bad input, from non-managers and on unknown ids, changing nothing', async () => {
      const { teacher, student } = people;
      const add = 'mutation($c: ID!, $i: AddLessonInput!) { addLesson(courseId: $c, input: $i) { id } }';
      expect(codes(await teacher.q(add, { c: course.id, i: { title: 'Neg', kind: 'VIDEO', durationSeconds: -5 } }))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(codes(await teacher.q(add, { c: course.id, i: { title: ' ', kind: 'VIDEO' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await teacher.q(add, { c: course.id, i: { title: 'No text', kind: 'TEXT' } }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await student.q(add, { c: course.id, i: { title: 'Mine', kind: 'TEXT', content: 'x' } }))).toEqual(['FORBIDDEN']);
      expect(
        codes(await teacher.q(add, { c: '0b8f5a2e-0000-4000-8000-00000000beef', i: { title: 'Lost', kind: 'TEXT', content: 'x' } })),
      ).toEqual(['NOT_FOUND']);
      expect(codes(await student.q('mutation { completeLesson(lessonId: "0b8f5a2e-0000-4000-8000-00000000beef") { id } }'))).toEqual([
        'NOT_FOUND',
      ]);
      const update = await teacher.q('mutation($id: ID!) { updateLesson(id: $id, input: { durationSeconds: -1 }) { id } }', {
        id: course.lessonIds[0],
      });
      expect(codes(update)).toEqual(['BAD_USER_INPUT']);
      const lessons = await teacher.ok('query($id: ID!) { course(id: $id) { lessons { title durationSeconds } } }', { id: course.id });
      expect(lessons.course.lessons).toHaveLength(4);
      expect(lessons.course.lessons.every((l: { durationSeconds: number }) => l.durationSeconds >= 0)).toBe(true);
    });

    it('lets only enrolled students complete lessons', async () => {
      const { admin } = people;
      const outsider = await publishedCourse(people.teacher, { title: 'Closed', lessons: 1 });
      expect(codes(await learner.q('mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: outsider.lessonIds[0] }))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await admin.q('mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: outsider.lessonIds[0] }))).toEqual([
        'FORBIDDEN',
      ]);
    });
  });

  describe('enrollments', () => {
    it('enrolls once (CONFLICT the second time), drops, and re-enrolls; counts follow', async () => {
      const { teacher, student } = people;
      const course = await publishedCourse(teacher, { title: 'Music' });
      const enroll =
        'mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id status student { displayName } course { enrollmentCount } } }';
      const first = await teacher.ok(enroll, { c: course.id, s: student.id });
      expect(first.enroll).toMatchObject({
        status: 'ACTIVE',
        student: { displayName: DEMO.users.demoStudent.displayName },
        course: { enrollmentCount: 1 },
      });
      expect(codes(await teacher.q(enroll, { c: course.id, s: student.id }))).toEqual(['CONFLICT']);
      const dropped = await teacher.ok('mutation($id: ID!) { dropEnrollment(id: $id) { status course { enrollmentCount } } }', {
        id: first.enroll.id,
      });
      expect(dropped.dropEnrollment).toEqual({ status: 'DROPPED', course: { enrollmentCount: 0 } });
      const back = await teacher.ok(enroll, { c: course.id, s: student.id });
      expect(back.enroll).toMatchObject({ id: first.enroll.id, status: 'ACTIVE', course: { enrollmentCount: 1 } });
      expect(codes(await student.q(enroll, { c: course.id, s: student.id }))).toEqual(['FORBIDDEN']);
    });

    it("shows a course's enrollments in full to its teacher and only their own to a student", async () => {
      const { teacher, student, admin } = people;
      const q = 'query($id: ID!) { course(id: $id) { enrollments(first: 10) { totalCount edges { node { student { id } } } } } }';
      const asTeacher = await teacher.ok(q, { id: DEMO_COURSES.math.id });
      expect(asTeacher.course.enrollments.totalCount).toBe(1);
      const asStudent = await student.ok(q, { id: DEMO_COURSES.math.id });
      expect(asStudent.course.enrollments.edges).toEqual([{ node: { student: { id: student.id } } }]);
      const asAdmin = await admin.ok(q, { id: DEMO_COURSES.math.id });
      expect(asAdmin.course.enrollments.totalCount).toBe(1);
      const teaching = await admin.ok('query($id: ID!) { user(id: $id) { displayName teachingCourses { title } } }', { id: teacher.id });
      expect(teaching.user.teachingCourses.map((c: { title: string }) => c.title)).toEqual(
        expect.arrayContaining([DEMO_COURSES.math.title, DEMO_COURSES.arabic.title]),
      );
    });
  });
});
