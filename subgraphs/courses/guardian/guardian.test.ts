import { createLogger } from '../../../platform/logger';
import { randomUUID } from 'node:crypto';
import { DEMO } from '../../../platform/demo';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { codes, coursesEm, coursesService, demoPeople, newMember, pair, publishedCourse, type Person } from '../../../testkit/courses';
import { DEMO_COURSES } from '../seed';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import { guardianLinksConsumer } from '../../../platform/people/read-models';

/**
 * Parents see what their children may see of their own data, and nothing of other children. The
 * links come from the users subgraph: pairing there publishes `guardian.linked`, which this
 * subgraph keeps in its read model.
 */
describe.each(['mysql', 'sqlite'] as const)('parents and their children (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let otherChild: Person;
  let otherParent: Person;
  let course: { id: string; lessonIds: string[] };
  beforeAll(async () => {
    stack = await startStack(dialect);
    people = await demoPeople(stack);
    otherChild = await newMember(stack, people.admin, 'STUDENT', 'Youssef Kamal');
    otherParent = await newMember(stack, people.admin, 'PARENT', 'Kamal Youssef');
    course = await publishedCourse(people.teacher, { title: 'Shared class', lessons: 2, students: [people.student, otherChild] });
    await otherChild.ok('mutation($l: ID!) { completeLesson(lessonId: $l) { id } }', { l: course.lessonIds[0] });
    await pair(otherChild, otherParent);
    await eventually(async () =>
      expect(await coursesEm(stack).count(GuardianLink, { guardianId: otherParent.id, studentId: otherChild.id })).toBe(1),
    );
  });
  afterAll(() => stack.stop());

  const enrollmentsOf = 'query($id: ID!) { user(id: $id) { displayName enrollments { progress course { title } } } }';

  it("shows a parent their child's progress, through users' children", async () => {
    const data = await people.parent.ok('{ me { children { displayName enrollments { progress course { title } } } } }');
    expect(data.me.children).toHaveLength(1);
    expect(data.me.children[0].displayName).toBe(DEMO.users.demoStudent.displayName);
    expect(data.me.children[0].enrollments).toEqual(
      expect.arrayContaining([
        { progress: 1 / 3, course: { title: DEMO_COURSES.math.title } },
        { progress: 0, course: { title: 'Shared class' } },
      ]),
    );
  });

  it('follows a pairing made after start (guardian.linked from users) for the new parent', async () => {
    const data = await otherParent.ok(enrollmentsOf, { id: otherChild.id });
    expect(data.user.enrollments).toEqual([{ progress: 0.5, course: { title: 'Shared class' } }]);
  });

  it("refuses a parent another child's enrollments (FORBIDDEN) and shows them nothing of that child elsewhere", async () => {
    const forbidden = await otherParent.q(enrollmentsOf, { id: people.student.id });
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    expect(forbidden.body.data?.user ?? null).toBeNull();
    expect(codes(await people.parent.q(enrollmentsOf, { id: otherChild.id }))).toEqual(['FORBIDDEN']);

    const roster = await otherParent.ok(
      'query($id: ID!) { course(id: $id) { enrollments { totalCount edges { node { student { id } progress } } } } }',
      { id: course.id },
    );
    expect(roster.course.enrollments).toEqual({ totalCount: 1, edges: [{ node: { student: { id: otherChild.id }, progress: 0.5 } }] });
    const demoCourse = await otherParent.ok('query($id: ID!) { course(id: $id) { enrollments { totalCount } } }', {
      id: DEMO_COURSES.math.id,
    });
    expect(demoCourse.course.enrollments.totalCount).toBe(0);
  });

  it("shows a parent their child's quiz attempts and attendance, and not another child's", async () => {
    const { teacher } = people;
    const quiz = await teacher.ok(
      'mutation($c: ID!) { createQuiz(courseId: $c, input: { title: "Check", solutionsVisibility: AFTER_EACH_ATTEMPT, questions: [{ kind: TRUE_FALSE, prompt: "Yes?", correctBoolean: true }] }) { id questions { id } } }',
      { c: course.id },
    );
    for (const child of [people.student, otherChild]) {
      const { startQuizAttempt } = await child.ok('mutation($q: ID!) { startQuizAttempt(quizId: $q) { id } }', { q: quiz.createQuiz.id });
      await child.ok('mutation($a: ID!, $x: [AnswerInput!]!) { submitQuizAttempt(attemptId: $a, answers: $x) { id } }', {
        a: startQuizAttempt.id,
        x: [{ questionId: quiz.createQuiz.questions[0].id, booleanValue: child === otherChild }],
      });
    }
    const session = await teacher.ok(
      'mutation($c: ID!, $i: ScheduleLiveSessionInput!) { scheduleLiveSession(courseId: $c, input: $i) { id } }',
      {
        c: course.id,
        i: { title: 'Review', startsAt: new Date(Date.now() + 60_000).toISOString() },
      },
    );
    const id = session.scheduleLiveSession.id;
    await teacher.ok('mutation($id: ID!) { startLiveSession(id: $id) { status } }', { id });
    await otherChild.ok('mutation($id: ID!) { joinLiveSession(id: $id) { id } }', { id });
    await teacher.ok('mutation($id: ID!) { endLiveSession(id: $id) { status } }', { id });

    const view = `query($id: ID!) { user(id: $id) { enrollments { course { id } quizAttempts { score student { id } answers { correct } } attendance { status student { id } } } } }`;
    const mine = await otherParent.ok(view, { id: otherChild.id });
    const shared = mine.user.enrollments.find((e: { course: { id: string } }) => e.course.id === course.id);
    expect(shared.quizAttempts).toEqual([{ score: 1, student: { id: otherChild.id }, answers: [{ correct: true }] }]);
    expect(shared.attendance).toEqual([{ status: 'PRESENT', student: { id: otherChild.id } }]);

    const attempts = await otherParent.ok('query($id: ID!) { quiz(id: $id) { attempts { student { id } } } }', { id: quiz.createQuiz.id });
    expect(attempts.quiz.attempts).toEqual([{ student: { id: otherChild.id } }]);
    const attendance = await otherParent.ok('query($id: ID!) { liveSession(id: $id) { attendance { student { id } status } } }', { id });
    expect(attendance.liveSession.attendance).toEqual([{ student: { id: otherChild.id }, status: 'PRESENT' }]);
    const demoParentView = await people.parent.ok('query($id: ID!) { liveSession(id: $id) { attendance { student { id } status } } }', {
      id,
    });
    expect(demoParentView.liveSession.attendance).toEqual([{ student: { id: people.student.id }, status: 'ABSENT' }]);
  });

  it('forgets a link on guardian.unlinked, once however often it arrives', async () => {
    const handle = guardianLinksConsumer('courses').handler({ orm: coursesService(stack).orm(), logger: createLogger('test') });
    const event = {
      id: randomUUID(),
      type: 'guardian.unlinked',
      version: 1,
      tenantId: DEMO.schools.demo.id,
      occurredAt: new Date().toISOString(),
      payload: { guardianId: otherParent.id, studentId: otherChild.id },
    };
    const message = { id: event.id, routingKey: event.type, payload: event, headers: {}, attempt: 1 };
    await handle(message);
    await handle(message);
    expect(await coursesEm(stack).count(GuardianLink, { guardianId: otherParent.id })).toBe(0);
    expect(codes(await otherParent.q(enrollmentsOf, { id: otherChild.id }))).toEqual(['FORBIDDEN']);
  });
});
