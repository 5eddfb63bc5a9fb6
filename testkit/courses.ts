import { scopeToTenant } from '../platform/db/tenant';
import { DEMO } from '../platform/demo';
import { codes, type GqlResult } from './graphql-client';
import type { SubgraphService } from '../platform/subgraph/host';
import type { Stack } from './stack';

/** A signed-in person of a test stack, calling the gateway with their token. */
export interface Person {
  id: string;
  token: string;
  q<T = any>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /** Like q, but fails the test on any GraphQL error and returns `data`. */
  ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

function person(stack: Stack, id: string, token: string, tenant = 'demo'): Person {
  const q = <T>(query: string, variables?: Record<string, unknown>) => stack.gql<T>(query, { tenant, token, variables });
  return {
    id,
    token,
    q,
    async ok<T>(query: string, variables?: Record<string, unknown>) {
      const r = await q<T>(query, variables);
      if (r.body.errors?.length) throw new Error(`unexpected errors ${JSON.stringify(r.body.errors)} for ${query}`);
      return r.body.data as T;
    },
  };
}

export async function signIn(stack: Stack, email: string, tenant = 'demo'): Promise<Person> {
  const { accessToken, userId } = await stack.login(email, tenant);
  return person(stack, userId, accessToken, tenant);
}

/** The seeded demo people (platform/demo.ts). */
export async function demoPeople(stack: Stack) {
  const [admin, teacher, student, parent, nileAdmin] = await Promise.all([
    signIn(stack, DEMO.users.demoAdmin.email),
    signIn(stack, DEMO.users.demoTeacher.email),
    signIn(stack, DEMO.users.demoStudent.email),
    signIn(stack, DEMO.users.demoParent.email),
    signIn(stack, DEMO.users.nileAdmin.email, 'nile'),
  ]);
  return { admin, teacher, student, parent, nileAdmin };
}

/** A new member of the demo school, invited by `admin` through the users subgraph. */
export async function newMember(stack: Stack, admin: Person, role: 'STUDENT' | 'PARENT' | 'TEACHER', displayName: string): Promise<Person> {
  const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@demo.test`;
  const invite = await admin.ok('mutation($i: InviteUserInput!) { inviteUser(input: $i) { token } }', {
    i: { email, displayName, roles: [role] },
  });
  const accepted = await stack.gql(
    'mutation($t: String!) { acceptInvitation(token: $t, password: "a-long-password") { accessToken user { id } } }',
    {
      tenant: 'demo',
      variables: { t: invite.inviteUser.token },
    },
  );
  const { accessToken, user } = accepted.body.data.acceptInvitation;
  return person(stack, user.id, accessToken);
}

/** The student hands a pairing code to the parent, who redeems it (users subgraph). */
export async function pair(student: Person, parent: Person): Promise<void> {
  const { createPairingCode } = await student.ok('mutation($id: ID!) { createPairingCode(studentId: $id) { code } }', { id: student.id });
  await parent.ok('mutation($c: String!) { pairWithCode(code: $c) { id } }', { c: createPairingCode.code });
}

/** A published course of `teacher` with `lessons` TEXT lessons, and `students` enrolled. */
export async function publishedCourse(teacher: Person, opts: { title?: string; lessons?: number; students?: Person[] } = {}) {
  const { createCourse } = await teacher.ok('mutation($i: CreateCourseInput!) { createCourse(input: $i) { id } }', {
    i: { title: opts.title ?? 'Physics' },
  });
  const lessonIds: string[] = [];
  for (let i = 1; i <= (opts.lessons ?? 0); i++) {
    const { addLesson } = await teacher.ok('mutation($c: ID!, $i: AddLessonInput!) { addLesson(courseId: $c, input: $i) { id } }', {
      c: createCourse.id,
      i: { title: `Lesson ${i}`, kind: 'TEXT', content: `Text ${i}`, durationSeconds: 60 },
    });
    lessonIds.push(addLesson.id);
  }
  await teacher.ok('mutation($id: ID!) { publishCourse(id: $id) { id } }', { id: createCourse.id });
  for (const student of opts.students ?? []) {
    await teacher.ok('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', { c: createCourse.id, s: student.id });
  }
  return { id: createCourse.id as string, lessonIds };
}

/** The stack's courses subgraph, typed (its ORM and outbox, for arranging and checking rows). */
export const coursesService = (stack: Stack) => stack.service<SubgraphService>('courses');

/** An EntityManager on the courses database, scoped to the demo school (for arranging and checking rows). */
export const coursesEm = (stack: Stack, schoolId: string = DEMO.schools.demo.id) =>
  scopeToTenant(coursesService(stack).orm().em.fork(), schoolId);

export { codes };
