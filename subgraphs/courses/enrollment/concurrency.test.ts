import { randomUUID } from 'node:crypto';
import { Roles } from '../../../platform/auth/roles';
import { DEMO } from '../../../platform/demo';
import { startStack, type Stack } from '../../../testkit/stack';
import { codes, coursesEm, demoPeople, publishedCourse } from '../../../testkit/courses';
import { Person } from '../../../platform/people/person.entity';

/** Many enrollments at once, with the outbox relay running: each one succeeds or fails cleanly. */
describe.each(['mysql', 'sqlite'] as const)('concurrent enrollments (%s)', (dialect) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(dialect);
  });
  afterAll(() => stack.stop());

  it('enrolls 100 students concurrently without a deadlock surfacing, each event recorded once', async () => {
    const { teacher } = await demoPeople(stack);
    const course = await publishedCourse(teacher, { lessons: 1 });
    const students = Array.from({ length: 100 }, () => randomUUID());
    // Students courses knows (its read model, arranged directly: inviting 100 people would test users, not this).
    const em = coursesEm(stack);
    for (const id of students) em.create(Person, { id, schoolId: DEMO.schools.demo.id, roles: [Roles.STUDENT], observedAt: new Date() });
    await em.flush();
    const results = await Promise.all(
      students.map((s) => teacher.q('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', { c: course.id, s })),
    );
    expect(results.flatMap(codes)).toEqual([]);
    const again = await Promise.all(
      students
        .slice(0, 10)
        .map((s) => teacher.q('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', { c: course.id, s })),
    );
    expect(again.flatMap(codes)).toEqual(Array(10).fill('CONFLICT'));
    const count = await teacher.ok('query($id: ID!) { course(id: $id) { enrollmentCount } }', { id: course.id });
    expect(count.course.enrollmentCount).toBe(100);
  });
});
