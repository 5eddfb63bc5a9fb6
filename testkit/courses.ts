import { scopeToTenant, TENANT_FILTER } from '../platform/db/tenant';
import { DEMO } from '../platform/demo';
import { OutboxMessage, ProcessedMessage } from '../platform/outbox/outbox';
import type { SubgraphService } from '../platform/subgraph/host';
import { danglingEnrollmentsConsumer } from '../subgraphs/courses/enrollment/dangling.consumer';
import { Person as KnownPerson } from '../platform/people/person.entity';
import { QuizAttempt } from '../subgraphs/courses/quiz/quiz-attempt.entity';
import { eventually } from './eventually';
import { codes, type GqlResult } from './graphql-client';
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

/**
 * The seeded demo people (platform/demo.ts). With courses in the stack, once courses knows them
 * (its people backfill at start) and has cleaned up after that backfill, so that a test can enroll
 * them at once and rows it arranges are not cleaned up under it.
 */
export async function demoPeople(stack: Stack) {
  const [admin, teacher, student, parent, nileAdmin] = await Promise.all([
    signIn(stack, DEMO.users.demoAdmin.email),
    signIn(stack, DEMO.users.demoTeacher.email),
    signIn(stack, DEMO.users.demoStudent.email),
    signIn(stack, DEMO.users.demoParent.email),
    signIn(stack, DEMO.users.nileAdmin.email, 'nile'),
  ]);
  await backfillSettled(stack);
  return { admin, teacher, student, parent, nileAdmin };
}

/** Both subgraphs of the people read model run in this stack. */
const withPeople = (stack: Stack) => 'courses' in stack.services && 'users' in stack.services;

/**
 * Waits until courses' start-up people backfill is through: every demo person known and the
 * clean-up after it done in every demo school. Drains the outboxes meanwhile, for stacks whose
 * relays do not poll (OUTBOX_POLL_INTERVAL_MS=0); only while not settled, so a settled stack's
 * pending events stay pending.
 */
export async function backfillSettled(stack: Stack): Promise<void> {
  if (!withPeople(stack)) return;
  const ids = Object.values(DEMO.users).map((u) => u.id);
  const settled = async () => {
    const em = coursesService(stack).orm().em.fork();
    const known = await em.count(KnownPerson, { id: { $in: ids } }, { filters: { [TENANT_FILTER]: false } });
    const cleaned = await em.count(ProcessedMessage, { consumer: danglingEnrollmentsConsumer.queue });
    return known === ids.length && cleaned >= Object.keys(DEMO.schools).length;
  };
  await eventually(async () => {
    if (await settled()) return;
    await coursesService(stack).outbox().drain();
    await stack.service<SubgraphService>('users').outbox().drain();
    if (!(await settled())) throw new Error('courses does not know the demo people yet (people backfill)');
  });
}

/**
 * Waits until courses knows `person` (users' `user.upserted`, through users' outbox, which this
 * drains meanwhile): enrolling them, or making them a course's teacher, checks that.
 */
export async function knownToCourses(stack: Stack, person: { id: string }, schoolId: string = DEMO.schools.demo.id): Promise<void> {
  if (!withPeople(stack)) return;
  await eventually(async () => {
    if (await coursesEm(stack, schoolId).count(KnownPerson, { id: person.id })) return;
    await stack.service<SubgraphService>('users').outbox().drain();
    if (!(await coursesEm(stack, schoolId).count(KnownPerson, { id: person.id })))
      throw new Error(`courses does not know ${person.id} yet`);
  });
}

/** A new member of the demo school, invited by `admin` through the users subgraph; returned once courses knows them. */
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
  await knownToCourses(stack, user);
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

/** A quiz of `teacher`'s course; `input` is a CreateQuizInput. Returns its id and its questions' ids, in order. */
export async function createQuiz(
  teacher: Person,
  courseId: string,
  input: Record<string, unknown>,
): Promise<{ id: string; questions: Array<{ id: string; kind: string }> }> {
  const { createQuiz: quiz } = await teacher.ok(
    'mutation($c: ID!, $i: CreateQuizInput!) { createQuiz(courseId: $c, input: $i) { id questions { id kind } } }',
    { c: courseId, i: input },
  );
  return quiz;
}

/** Ends a quiz attempt's time now (its deadline a second ago), rather than waiting for it. */
export async function expireAttempt(stack: Stack, attemptId: string): Promise<void> {
  await coursesEm(stack).nativeUpdate(QuizAttempt, { id: attemptId }, { deadline: new Date(Date.now() - 1000) });
}

/** The payloads of the domain events of `type` in the courses outbox (recorded, whether or not published yet). */
export async function coursesEvents<T = any>(stack: Stack, type: string): Promise<T[]> {
  const rows = await coursesService(stack)
    .orm()
    .em.fork()
    .find(OutboxMessage, { type }, { orderBy: { occurredAt: 'asc' } });
  return rows.map((r) => JSON.parse(r.payload) as T);
}
