import { startStack, type Stack } from '../../../testkit/stack';
import { codes, coursesEm, coursesEvents, demoPeople, newMember, publishedCourse, type Person } from '../../../testkit/courses';
import { Course } from '../course/course.entity';
import { includingDeleted } from '../course/soft-delete';
import { Enrollment } from '../enrollment/enrollment.entity';
import { LessonCompletion } from './lesson-completion.entity';
import { Lesson } from './lesson.entity';

const COMPLETE = 'mutation($l: ID!) { completeLesson(lessonId: $l) { status progress } }';
const DELETE_LESSON = 'mutation($id: ID!) { deleteLesson(id: $id) }';
/** The course as its student sees it: its lessons, and their enrollment's progress. */
const STUDENT_VIEW = `query($c: ID!, $me: ID!) {
  course(id: $c) { lessons { id title position } lessonPage(first: 10) { totalCount edges { node { id } } } }
  user(id: $me) { enrollments { course { id } status progress completedLessons { id } lessonCompletions { lesson { id } } } }
}`;

describe.each(['mysql', 'sqlite'] as const)('deleting lessons and courses, through the gateway (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let student: Person;
  beforeAll(async () => {
    stack = await startStack(dialect);
    people = await demoPeople(stack);
    student = await newMember(stack, people.admin, 'STUDENT', 'Lesson Keeper');
  });
  afterAll(() => stack.stop());

  const studentView = async (courseId: string) => {
    const { course, user } = await student.ok(STUDENT_VIEW, { c: courseId, me: student.id });
    return { course, enrollment: user.enrollments.find((e: { course: { id: string } }) => e.course.id === courseId) };
  };

  it("removes a deleted lesson from the students' views and their progress, and keeps its completion as history", async () => {
    const { teacher } = people;
    const course = await publishedCourse(teacher, { title: 'Deleting lessons', lessons: 4, students: [student] });
    const [l1, l2, l3, l4] = course.lessonIds;
    await student.ok(COMPLETE, { l: l1 });
    await student.ok(COMPLETE, { l: l2 });
    expect((await studentView(course.id)).enrollment.progress).toBe(0.5);

    expect(codes(await student.q(DELETE_LESSON, { id: l2 }))).toEqual(['FORBIDDEN']);
    expect(await teacher.ok(DELETE_LESSON, { id: l2 })).toEqual({ deleteLesson: true });

    const { course: seen, enrollment } = await studentView(course.id);
    expect(seen.lessons).toEqual([
      { id: l1, title: 'Lesson 1', position: 1 },
      { id: l3, title: 'Lesson 3', position: 2 },
      { id: l4, title: 'Lesson 4', position: 3 },
    ]);
    expect(seen.lessonPage.totalCount).toBe(3);
    expect(seen.lessonPage.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([l1, l3, l4]);
    expect(enrollment).toMatchObject({
      status: 'ACTIVE',
      progress: 1 / 3,
      completedLessons: [{ id: l1 }],
      lessonCompletions: [{ lesson: { id: l1 } }],
    });
    expect((await student.ok('query($id: ID!) { lesson(id: $id) { id } }', { id: l2 })).lesson).toBeNull();
    expect(codes(await student.q(COMPLETE, { l: l2 }))).toEqual(['NOT_FOUND']);
    expect(codes(await teacher.q(DELETE_LESSON, { id: l2 }))).toEqual(['NOT_FOUND']);
    expect((await teacher.ok('query($id: ID!) { lesson(id: $id) { id } }', { id: l2 })).lesson).toBeNull();

    // The record stays: the completion row, shown to the staff as history with the deleted lesson.
    expect(await coursesEm(stack).count(LessonCompletion, { lesson: l2 }, includingDeleted())).toBe(1);
    const history = `query($me: ID!) { user(id: $me) { enrollments { course { id }
      lessonCompletions(includeDeleted: true) { completedAt lesson { id title deletedAt } } } } }`;
    const { user } = await teacher.ok(history, { me: student.id });
    const record = user.enrollments.find((e: { course: { id: string } }) => e.course.id === course.id).lessonCompletions;
    expect(record.map((c: { lesson: { id: string } }) => c.lesson.id)).toEqual([l1, l2]);
    expect(record[1].lesson).toEqual({ id: l2, title: 'Lesson 2', deletedAt: expect.any(String) });
    expect(record[1].completedAt).toEqual(expect.any(String));
    expect(new Set(codes(await student.q(history, { me: student.id })))).toEqual(new Set(['FORBIDDEN']));
    expect((await coursesEvents(stack, 'lesson.deleted')).filter((e) => e.lessonId === l2)).toEqual([
      { courseId: course.id, lessonId: l2, deletedBy: teacher.id, deletedAt: expect.any(String) },
    ]);

    // Deleting the lessons the student has not done completes their enrollment: all that is left is done.
    await student.ok(COMPLETE, { l: l3 });
    await people.admin.ok(DELETE_LESSON, { id: l4 });
    expect((await studentView(course.id)).enrollment).toMatchObject({ status: 'COMPLETED', progress: 1 });
    // A lesson added later counts as usual, and positions stay dense.
    const { addLesson } = await teacher.ok(
      'mutation($c: ID!) { addLesson(courseId: $c, input: { title: "Lesson 5", kind: TEXT, content: "Five" }) { id position } }',
      { c: course.id },
    );
    expect(addLesson.position).toBe(3);
    expect((await studentView(course.id)).enrollment).toMatchObject({ status: 'ACTIVE', progress: 2 / 3 });
  });

  it('pages the lessons of a course in course order', async () => {
    const course = await publishedCourse(people.teacher, { title: 'Paged lessons', lessons: 5, students: [student] });
    await people.teacher.ok('mutation($c: ID!, $ids: [ID!]!) { reorderLessons(courseId: $c, lessonIds: $ids) { id } }', {
      c: course.id,
      ids: [...course.lessonIds].reverse(),
    });
    const page = `query($c: ID!, $after: String) { course(id: $c) {
      lessonPage(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id position } } } } }`;
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const { lessonPage } = (await student.ok(page, { c: course.id, after })).course;
      expect(lessonPage.totalCount).toBe(5);
      seen.push(...lessonPage.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!lessonPage.pageInfo.hasNextPage) break;
      after = lessonPage.pageInfo.endCursor;
    }
    expect(seen).toEqual([...course.lessonIds].reverse());
    expect(codes(await student.q(page, { c: course.id, after: 'bm90IGEgY3Vyc29y' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('does not delete a course while one of its live sessions is running', async () => {
    const { teacher } = people;
    const course = await publishedCourse(teacher, { title: 'Live now', lessons: 1, students: [student] });
    const startsAt = new Date(Date.now() + 60_000).toISOString();
    const { scheduleLiveSession } = await teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      { c: course.id, i: { title: 'Now', startsAt } },
    );
    await teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { id } }', { id: scheduleLiveSession.id });
    const refused = await teacher.q('mutation($id: ID!) { deleteCourse(id: $id) }', { id: course.id });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect((await student.ok('query($id: ID!) { course(id: $id) { id } }', { id: course.id })).course).toEqual({ id: course.id });
    await teacher.ok('mutation($id: ID!) { endLiveSession(id: $id) { id } }', { id: scheduleLiveSession.id });
    expect(await teacher.ok('mutation($id: ID!) { deleteCourse(id: $id) }', { id: course.id })).toEqual({ deleteCourse: true });
  });

  it('deletes a course: gone from every view with everything in it, its rows kept', async () => {
    const { teacher, admin } = people;
    const course = await publishedCourse(teacher, { title: 'Deleted course', lessons: 2, students: [student] });
    await student.ok(COMPLETE, { l: course.lessonIds[0] });
    expect(codes(await student.q('mutation($id: ID!) { deleteCourse(id: $id) }', { id: course.id }))).toEqual(['FORBIDDEN']);
    expect(await teacher.ok('mutation($id: ID!) { deleteCourse(id: $id) }', { id: course.id })).toEqual({ deleteCourse: true });

    const everywhere = `query($c: ID!, $l: ID!, $me: ID!) {
      course(id: $c) { id } lesson(id: $l) { id } courses(first: 100) { edges { node { id } } } catalog(first: 100) { edges { node { id } } }
      user(id: $me) { enrollments { course { id } } }
    }`;
    for (const who of [student, teacher, admin]) {
      const data = await who.ok(everywhere, { c: course.id, l: course.lessonIds[0], me: student.id });
      expect(data.course).toBeNull();
      expect(data.lesson).toBeNull();
      expect(data.courses.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(course.id);
      expect(data.catalog.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(course.id);
      expect(data.user.enrollments.map((e: { course: { id: string } }) => e.course.id)).not.toContain(course.id);
    }
    const { user } = await teacher.ok('query($id: ID!) { user(id: $id) { teachingCourses { id } } }', { id: teacher.id });
    expect(user.teachingCourses.map((c: { id: string }) => c.id)).not.toContain(course.id);
    expect(codes(await admin.q('mutation($id: ID!) { deleteCourse(id: $id) }', { id: course.id }))).toEqual(['NOT_FOUND']);
    const enroll = 'mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }';
    expect(codes(await teacher.q(enroll, { c: course.id, s: student.id }))).toEqual(['NOT_FOUND']);

    // Every row is still stored, only hidden.
    const em = coursesEm(stack);
    expect(await em.findOne(Course, { id: course.id }, includingDeleted())).toMatchObject({
      deletedBy: teacher.id,
      deletedAt: expect.any(Date),
    });
    expect(await em.count(Lesson, { course: course.id }, includingDeleted())).toBe(2);
    expect(await em.count(Enrollment, { course: course.id }, includingDeleted())).toBe(1);
    expect(await em.count(LessonCompletion, { lesson: course.lessonIds[0] }, includingDeleted())).toBe(1);
    expect((await coursesEvents(stack, 'course.deleted')).filter((e) => e.courseId === course.id)).toEqual([
      { courseId: course.id, deletedBy: teacher.id, deletedAt: expect.any(String) },
    ]);
  });
});
