import { DEMO } from '../../../platform/demo';
import { scopeToTenant } from '../../../platform/db/tenant';
import { requestScope } from '../../../platform/request-context';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { coursesEm, demoPeople, newMember, type Person } from '../../../testkit/courses';
import { startStack, type Stack } from '../../../testkit/stack';
import { Course, CourseStatus } from '../course/course.entity';
import { Enrollment } from './enrollment.entity';
import { enrollmentLoaders, rosterKey } from './enrollment.loaders';

const ROSTERS = `query($n: Int!, $m: Int) {
  courses(first: $n) { edges { node { id enrollments(first: $m) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id student { id } } }
  } } } }
}`;

interface Roster {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ cursor: string; node: { id: string; student: { id: string } } }>;
}

/**
 * Course.enrollments' first pages are read for all the courses of a request at once (two queries
 * and one count per scope, whatever the number of courses), answer what one course at a time
 * answered, and never reach into another school.
 */
describe.each(['mysql', 'sqlite'] as const)('batched course rosters (%s)', (dialect) => {
  const statements: string[] = [];
  let stack: Stack;
  let teacher: Person;
  let students: Person[];
  let nileCourse: string;
  /** Enrollment ids per course of the teacher, oldest first (createdAt, id). */
  const expected = new Map<string, string[]>();

  beforeAll(async () => {
    stack = await startStack(
      dialect,
      {},
      {
        subgraphs: ['users', 'courses'],
        onQuery: (service, sql) => {
          if (service === 'courses' && requestScope.get()?.requestId && !sql.includes('outbox_message')) statements.push(sql);
        },
      },
    );
    const people = await demoPeople(stack);
    teacher = people.teacher;
    students = [people.student, ...(await Promise.all([1, 2].map((i) => newMember(stack, people.admin, 'STUDENT', `Roster ${i}`))))];
    const em = coursesEm(stack);
    const school = DEMO.schools.demo.id;
    for (let i = 0; i < 6; i++) {
      const course = em.create(Course, { schoolId: school, title: `Roster ${i}`, teacherId: teacher.id, status: CourseStatus.PUBLISHED });
      // 0, 1, 2, 3, 0, 1 students: empty rosters, one page, more than a page.
      const enrolled = students
        .slice(0, i % 4)
        .map((s, j) =>
          em.create(Enrollment, { schoolId: school, course, studentId: s.id, createdAt: new Date(Date.UTC(2026, 0, 1, i, j)) }),
        );
      expected.set(
        course.id,
        enrolled.map((e) => e.id),
      );
    }
    await em.flush();
    // Another school's course, with an enrollment of a person that school knows.
    const nile = coursesEm(stack, DEMO.schools.nile.id);
    const other = nile.create(Course, {
      schoolId: DEMO.schools.nile.id,
      title: 'Nile roster',
      teacherId: DEMO.users.nileAdmin.id,
      status: CourseStatus.PUBLISHED,
    });
    nile.create(Enrollment, { schoolId: DEMO.schools.nile.id, course: other, studentId: DEMO.users.nileAdmin.id });
    await nile.flush();
    nileCourse = other.id;
  });
  afterAll(() => stack.stop());

  async function rosters(viewer: Person, n: number, m: number): Promise<Map<string, Roster>> {
    const data = await viewer.ok(ROSTERS, { n, m });
    return new Map(data.courses.edges.map((e: { node: { id: string; enrollments: Roster } }) => [e.node.id, e.node.enrollments]));
  }

  it('answers each course its own first page, total and cursor, and the next page follows on', async () => {
    const all = await rosters(teacher, 50, 2);
    for (const [courseId, ids] of expected) {
      const roster = all.get(courseId)!;
      expect(roster.totalCount).toBe(ids.length);
      expect(roster.edges.map((e) => e.node.id)).toEqual(ids.slice(0, 2));
      expect(roster.pageInfo.hasNextPage).toBe(ids.length > 2);
      if (!roster.pageInfo.hasNextPage) continue;
      const { course } = await teacher.ok(
        'query($id: ID!, $after: String) { course(id: $id) { enrollments(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage } } } }',
        { id: courseId, after: roster.pageInfo.endCursor },
      );
      expect(course.enrollments.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(2, 4));
    }
    // first: 0 is an empty page that does not claim a next one, as before.
    for (const roster of (await rosters(teacher, 50, 0)).values())
      expect(roster).toMatchObject({ edges: [], pageInfo: { hasNextPage: false } });
  });

  it('shows a student only their own enrollment in each course', async () => {
    const mine = await rosters(students[1], 50, 10);
    for (const [courseId, ids] of expected) {
      const roster = mine.get(courseId)!;
      const own = ids.length > 1 ? 1 : 0;
      expect(roster.totalCount).toBe(own);
      expect(roster.edges.map((e) => e.node.student.id)).toEqual(own ? [students[1].id] : []);
    }
  });

  it('reads the rosters of 2 and of 6 courses with the same number of statements', async () => {
    const count = async (n: number) => {
      statements.length = 0;
      await rosters(teacher, n, 2);
      return statements.length;
    };
    expect(await count(6)).toBe(await count(2));
  });

  it("never answers another school's roster, even batched with the request's own", async () => {
    const orm = stack.service<SubgraphService>('courses').orm();
    const loadersOf = (school: { id: string; slug: string }) =>
      enrollmentLoaders({ em: scopeToTenant(orm.em.fork(), school.id), tenant: school, requestId: 'test' });
    const demoCourse = [...expected].find(([, ids]) => ids.length === 3)![0];
    const demo = loadersOf(DEMO.schools.demo);
    const [own, foreign, ownSize, foreignSize] = await Promise.all([
      demo.rosterFirstPage.load(rosterKey(demoCourse, null, 10)),
      demo.rosterFirstPage.load(rosterKey(nileCourse, null, 10)),
      demo.rosterSize.load(rosterKey(demoCourse, null)),
      demo.rosterSize.load(rosterKey(nileCourse, null)),
    ]);
    expect(own.map((e) => e.id)).toEqual(expected.get(demoCourse));
    expect([foreign, foreignSize, ownSize]).toEqual([[], 0, 3]);
    // Even naming the other school's student: nothing.
    expect(await demo.rosterFirstPage.load(rosterKey(nileCourse, [DEMO.users.nileAdmin.id], 10))).toEqual([]);
    // The row exists, for its own school.
    const nile = loadersOf(DEMO.schools.nile);
    expect(await nile.rosterSize.load(rosterKey(nileCourse, null))).toBe(1);
    expect(await nile.rosterFirstPage.load(rosterKey(demoCourse, null, 10))).toEqual([]);
  });
});
