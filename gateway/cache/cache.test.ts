import { DEMO } from '../../platform/demo';
import { scopeToTenant } from '../../platform/db/tenant';
import { recordEvent } from '../../platform/outbox/outbox';
import type { SubgraphService } from '../../platform/subgraph/host';
import { Course } from '../../subgraphs/courses/course/course.entity';
import { courseUpserted } from '../../subgraphs/courses/course/course.events';
import { User } from '../../subgraphs/users/user/user.entity';
import { userUpserted } from '../../subgraphs/users/user/user.events';
import { coursesService, demoPeople, newMember, publishedCourse, type Person } from '../../testkit/courses';
import { eventually } from '../../testkit/eventually';
import { gql } from '../../testkit/graphql-client';
import { metric } from '../../testkit/metrics';
import { startCacheStack, stopCacheStack } from '../../testkit/cache-stack';
import type { Stack } from '../../testkit/stack';
import type { TestDialect } from '../../testkit/database';

/**
 * The cache and the deduplication through the whole stack (users, courses, the gateway with
 * both on), embedded (in-process store and broker) and in production mode (Redis, RabbitMQ): what
 * a client reads after a change, and that nobody is handed another school's or another scope's answer. Outbox relays do not poll here: an event reaches the gateway only when
 * the test drains it, so what is read before that shows what the cache held.
 */
describe.each<TestDialect>(['sqlite', 'mysql'])('gateway cache through the stack (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  let teacher: Person;
  let otherTeacher: Person;
  let student: Person;
  let base: string;

  beforeAll(async () => {
    stack = await startCacheStack(dialect);
    base = new URL(stack.gatewayUrl).origin;
    people = await demoPeople(stack);
    teacher = await newMember(stack, people.admin, 'TEACHER', 'Tariq Nabil');
    otherTeacher = await newMember(stack, people.admin, 'TEACHER', 'Hoda Samir');
    student = await newMember(stack, people.admin, 'STUDENT', 'Yara Fathy');
  });
  afterAll(() => stopCacheStack(stack, dialect));

  const hits = (layer: string) => metric(base, 'gateway_cache_hits_total', { layer });
  const invalidations = (cause: string) => metric(base, 'gateway_cache_invalidations_total', { cause });
  const COURSE = 'query($id: ID!) { course(id: $id) { id title teacher { id displayName } } }';
  const readCourse = async (who: Person, id: string) => (await who.ok(COURSE, { id })).course;

  /** Changes a person's name in the users database, with its event, as the users subgraph would: not through the gateway. */
  async function renameBehindTheGateway(userId: string, displayName: string) {
    const em = scopeToTenant(stack.service<SubgraphService>('users').orm().em.fork(), DEMO.schools.demo.id);
    await em.transactional(async (tx) => {
      const user = await tx.findOneOrFail(User, { id: userId });
      user.displayName = displayName;
      recordEvent(tx, userUpserted(user));
    });
  }

  async function retitleBehindTheGateway(courseId: string, title: string) {
    const em = scopeToTenant(coursesService(stack).orm().em.fork(), DEMO.schools.demo.id);
    await em.transactional(async (tx) => {
      const course = await tx.findOneOrFail(Course, { id: courseId });
      course.title = title;
      recordEvent(tx, courseUpserted(course));
    });
  }

  it('answers a repeated read from the cache, and reads a rename or a course edit made through the gateway back at once', async () => {
    const course = await publishedCourse(teacher, { title: 'Optics' });
    const first = await readCourse(student, course.id);
    expect(first).toEqual({ id: course.id, title: 'Optics', teacher: { id: teacher.id, displayName: 'Tariq Nabil' } });
    const responseHits = await hits('response');
    expect(await readCourse(student, course.id)).toEqual(first);
    expect(await hits('response')).toBe(responseHits + 1);
    // Every fetch of it was hinted by its subgraph (courses: course, title, teacher; users: displayName),
    // and what the subgraphs hinted is not passed on to the client.
    expect(await metric(base, 'gateway_cache_unhinted_total')).toBe(0);
    expect((await student.q(COURSE, { id: course.id })).headers['cache-control']).toBe('no-store');

    await teacher.ok('mutation { updateMe(input: { displayName: "Tariq N. Nabil" }) { id } }');
    expect((await readCourse(student, course.id)).teacher.displayName).toBe('Tariq N. Nabil');
    await teacher.ok('mutation($id: ID!) { updateCourse(id: $id, input: { title: "Optics II" }) { id } }', { id: course.id });
    expect((await readCourse(student, course.id)).title).toBe('Optics II');
    // And through users' own root field.
    expect((await student.ok('query($id: ID!) { user(id: $id) { displayName } }', { id: teacher.id })).user.displayName).toBe(
      'Tariq N. Nabil',
    );
  });

  it('never serves a change made behind its back once the change’s event has reached it', async () => {
    const course = await publishedCourse(otherTeacher, { title: 'Algebra' });
    await readCourse(student, course.id);
    expect(await readCourse(student, course.id)).toEqual({
      id: course.id,
      title: 'Algebra',
      teacher: { id: otherTeacher.id, displayName: 'Hoda Samir' },
    });

    const renames = await invalidations('user.upserted');
    await renameBehindTheGateway(otherTeacher.id, 'Hoda S. Samir');
    // No event yet (relays do not poll): the cached name is still served, which is what the event is for.
    expect((await readCourse(student, course.id)).teacher.displayName).toBe('Hoda Samir');
    await stack.service<SubgraphService>('users').outbox().drain();
    await eventually(async () => expect(await invalidations('user.upserted')).toBeGreaterThan(renames));
    expect((await readCourse(student, course.id)).teacher.displayName).toBe('Hoda S. Samir');

    const edits = await invalidations('course.upserted');
    await retitleBehindTheGateway(course.id, 'Algebra I');
    await coursesService(stack).outbox().drain();
    await eventually(async () => expect(await invalidations('course.upserted')).toBeGreaterThan(edits));
    expect((await readCourse(student, course.id)).title).toBe('Algebra I');
    expect((await readCourse(otherTeacher, course.id)).title).toBe('Algebra I');
  });

  it("never gives a teacher's cached answer to a student or another teacher, nor one school's to another", async () => {
    const { createCourse: draft } = await teacher.ok('mutation { createCourse(input: { title: "Draft notes" }) { id } }');
    // The teacher's own draft, read twice: the second from the cache.
    const responseHits = await hits('response');
    expect((await readCourse(teacher, draft.id)).title).toBe('Draft notes');
    expect((await readCourse(teacher, draft.id)).title).toBe('Draft notes');
    expect(await hits('response')).toBe(responseHits + 1);
    // The same query from a student, another teacher (same roles) and a parent: a draft is not theirs to see.
    for (const other of [student, otherTeacher, people.parent]) {
      expect((await other.ok(COURSE, { id: draft.id })).course).toBeNull();
      expect((await other.ok(COURSE, { id: draft.id })).course).toBeNull();
    }
    expect((await readCourse(people.admin, draft.id)).title).toBe('Draft notes');

    // Two school admins (same roles), the same query about the demo school's teacher: only the demo school's admin gets them.
    const WHO = 'query($id: ID!) { user(id: $id) { id displayName } }';
    expect((await people.admin.ok(WHO, { id: teacher.id })).user.id).toBe(teacher.id);
    expect((await people.admin.ok(WHO, { id: teacher.id })).user.id).toBe(teacher.id);
    expect((await people.nileAdmin.ok(WHO, { id: teacher.id })).user).toBeNull();
    expect((await people.nileAdmin.ok(WHO, { id: DEMO.users.nileAdmin.id })).user.displayName).toBe(DEMO.users.nileAdmin.displayName);
    expect((await people.admin.ok(WHO, { id: DEMO.users.nileAdmin.id })).user).toBeNull();
    // And the same holds for the entity fetch of a course's teacher, which both admins' schools cache separately.
    expect((await people.nileAdmin.ok(COURSE, { id: draft.id })).course).toBeNull();
  });

  it("caches a school's public profile per school: anonymous and signed-in reads, never another school's", async () => {
    const PROFILE = '{ school { id name slug } }';
    const anonymous = async (tenant: string) => (await gql(stack.gatewayUrl, PROFILE, { tenant })).body.data.school;
    const responseHits = await hits('response');
    expect(await anonymous('demo')).toEqual({ id: DEMO.schools.demo.id, name: DEMO.schools.demo.name, slug: 'demo' });
    expect(await anonymous('demo')).toEqual({ id: DEMO.schools.demo.id, name: DEMO.schools.demo.name, slug: 'demo' });
    expect(await hits('response')).toBe(responseHits + 1);
    // The same document for the other school: its own answer, twice, never demo's.
    expect(await anonymous('nile')).toEqual({ id: DEMO.schools.nile.id, name: DEMO.schools.nile.name, slug: 'nile' });
    expect(await anonymous('nile')).toEqual({ id: DEMO.schools.nile.id, name: DEMO.schools.nile.name, slug: 'nile' });
    // `me` with its school's slug: served whole from the cache the second time.
    const ME = '{ me { id school { slug } } }';
    const before = await hits('response');
    expect((await teacher.ok(ME)).me).toEqual({ id: teacher.id, school: { slug: 'demo' } });
    expect((await teacher.ok(ME)).me).toEqual({ id: teacher.id, school: { slug: 'demo' } });
    expect(await hits('response')).toBe(before + 1);
    expect((await people.nileAdmin.ok(ME)).me.school.slug).toBe('nile');
  });

  it("deduplicates concurrent identical queries without ever handing one caller another's answer", async () => {
    const { createCourse: draft } = await teacher.ok('mutation { createCourse(input: { title: "Private plan" }) { id } }');
    const published = await publishedCourse(otherTeacher, { title: 'Geometry' });
    const ME = '{ me { id email } }';
    const callers = [teacher, otherTeacher, student, people.student, people.parent];
    const rounds = await Promise.all(
      Array.from({ length: 6 }, () =>
        Promise.all(
          callers.map(async (who) => ({
            who: who.id,
            draft: (await who.ok(COURSE, { id: draft.id })).course?.title ?? null,
            published: (await who.ok(COURSE, { id: published.id })).course.title,
            me: (await who.ok(ME)).me.id,
          })),
        ),
      ),
    );
    for (const round of rounds) {
      for (const answer of round) {
        expect(answer).toEqual({
          who: answer.who,
          draft: answer.who === teacher.id ? 'Private plan' : null,
          published: 'Geometry',
          me: answer.who,
        });
      }
    }
  });
});
