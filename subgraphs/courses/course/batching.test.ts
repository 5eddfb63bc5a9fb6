import { DEMO } from '../../../platform/demo';
import { requestScope } from '../../../platform/request-context';
import { startStack, type Stack } from '../../../testkit/stack';
import { coursesEm, demoPeople, newMember, type Person } from '../../../testkit/courses';
import { Enrollment } from '../enrollment/enrollment.entity';
import { Course, CourseStatus } from './course.entity';

/**
 * Resolving a page of courses with their teachers (users subgraph) and enrollment counts costs the
 * same number of SQL statements per subgraph for 5 courses as for 50: every list field and every
 * entity reference goes through a DataLoader.
 */
describe.each(['mysql', 'sqlite'] as const)('batched resolution (%s)', (dialect) => {
  const statements: Record<string, string[]> = {};
  let stack: Stack;
  let viewer: Person;
  beforeAll(async () => {
    stack = await startStack(
      dialect,
      {},
      {
        onQuery: (service, sql) => {
          // Only the request's own statements count: outbox relays, consumers and the pruning job
          // run in the background, outside any HTTP request's scope.
          if (requestScope.get()?.requestId && !sql.includes('outbox_message')) (statements[service] ??= []).push(sql);
        },
      },
    );
    const people = await demoPeople(stack);
    viewer = people.student;
    const teachers = [
      people.teacher.id,
      ...(await Promise.all([1, 2, 3].map((i) => newMember(stack, people.admin, 'TEACHER', `Teacher ${i}`)))).map((t) => t.id),
    ];
    const em = coursesEm(stack);
    for (let i = 0; i < 60; i++) {
      const course = em.create(Course, {
        schoolId: DEMO.schools.demo.id,
        title: `Course ${i}`,
        teacherId: teachers[i % teachers.length],
        status: CourseStatus.PUBLISHED,
      });
      if (i % 3 === 0) em.create(Enrollment, { schoolId: DEMO.schools.demo.id, course, studentId: viewer.id });
    }
    await em.flush();
  });
  afterAll(() => stack.stop());

  async function countFor(first: number): Promise<Record<string, number>> {
    for (const key of Object.keys(statements)) delete statements[key];
    const data = await viewer.ok(
      'query($n: Int!) { courses(first: $n) { edges { node { title teacher { displayName } enrollmentCount } } } }',
      { n: first },
    );
    expect(data.courses.edges).toHaveLength(first);
    expect(data.courses.edges.every((e: { node: { teacher: { displayName: string } } }) => e.node.teacher.displayName)).toBe(true);
    return { users: statements.users?.length ?? 0, courses: statements.courses?.length ?? 0 };
  }

  it('makes the same number of queries per subgraph for 5 and for 50 courses', async () => {
    const five = await countFor(5);
    const fifty = await countFor(50);
    expect(fifty).toEqual(five);
    expect(five.courses).toBeGreaterThan(0);
    expect(five.users).toBeGreaterThan(0);
  });
});
