import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Roles } from '../../../platform/auth/roles';
import { DEMO } from '../../../platform/demo';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant, TENANT_FILTER } from '../../../platform/db/tenant';
import { EVERY_SCHOOL, type DomainEventOf } from '../../../platform/events/domain-events';
import { createLogger } from '../../../platform/logger';
import { OutboxMessage } from '../../../platform/outbox/outbox';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import { Person } from '../../../platform/people/person.entity';
import type { SubgraphService } from '../../../platform/subgraph/host';
import { testDatabase } from '../../../testkit/database';
import { eventually } from '../../../testkit/eventually';
import { backfillRequests, peopleBackfillApplied } from '../../../testkit/people-backfill';
import { startStack, type Stack } from '../../../testkit/stack';
import { coursesDatabase } from '../database';
import { planPeopleBackfill } from './person.backfill';

const logger = createLogger('test', 'silent');
const everySchool = { filters: { [TENANT_FILTER]: false } };

/** When courses asks users for every person, on its own database (nobody answers here). */
describe.each(['mysql', 'sqlite'] as const)('people backfill plan (%s)', (dialect) => {
  const db = testDatabase(dialect, 'courses');
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await openDatabase({ ...coursesDatabase, ...db.options });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });
  const requests = () => backfillRequests(orm);
  /** What a first delivery does once the people queue is bound: a person lands. */
  const personLands = async () => {
    const schoolId = randomUUID();
    const em = scopeToTenant(orm.em.fork(), schoolId);
    em.create(Person, { id: randomUUID(), schoolId, roles: [Roles.STUDENT], observedAt: new Date() });
    await em.flush();
  };
  const forgetPeople = () => orm.em.fork().nativeDelete(Person, {}, everySchool);

  it('asks when the read model was empty at start, even once a person landed before the request', async () => {
    const backfill = await planPeopleBackfill({ orm, logger, retryDelaysMs: [] });
    await personLands();
    await backfill.request();
    backfill.stop();
    expect(await requests()).toEqual([{ tenantId: EVERY_SCHOOL, payload: { requestedBy: 'courses' } }]);
  });

  it('asks again after each delay while the read model stays empty (a request lost before users listened), until stopped', async () => {
    await forgetPeople();
    const before = (await requests()).length;
    const backfill = await planPeopleBackfill({ orm, logger, retryDelaysMs: [10, 10] });
    await backfill.request();
    await eventually(async () => expect(await requests()).toHaveLength(before + 3));
    backfill.stop();
    // Stopped before its first re-ask: only the request at start.
    const stopped = await planPeopleBackfill({ orm, logger, retryDelaysMs: [60_000] });
    await stopped.request();
    stopped.stop();
    expect(await requests()).toHaveLength(before + 4);
  });

  it('does not ask when it knew people at start, even once they are gone before the request, unless told to (PEOPLE_BACKFILL=always)', async () => {
    await personLands();
    const before = (await requests()).length;
    const auto = await planPeopleBackfill({ orm, logger, retryDelaysMs: [] });
    const always = await planPeopleBackfill({ orm, logger, mode: 'always', retryDelaysMs: [] });
    await forgetPeople();
    await auto.request();
    expect(await requests()).toHaveLength(before);
    await always.request();
    always.stop();
    expect(await requests()).toHaveLength(before + 1);
  });

  it('asks for nothing once stopped (a shutdown between wire and afterStart)', async () => {
    await forgetPeople();
    const before = (await requests()).length;
    const backfill = await planPeopleBackfill({ orm, logger, retryDelaysMs: [] });
    backfill.stop();
    await backfill.request();
    expect(await requests()).toHaveLength(before);
  });

  it('fails the request, not silently, when the request cannot be recorded', async () => {
    const closing = await openDatabase({ ...coursesDatabase, ...db.options });
    const backfill = await planPeopleBackfill({ orm: closing, logger, retryDelaysMs: [] });
    await closing.close();
    await expect(backfill.request()).rejects.toThrow();
  });
});

/**
 * The race of a first start: users' events (its answer to another subgraph's backfill) land in
 * courses' people queue while the rest of its queues are still being bound. The people are then no
 * longer empty, but what was sent before a queue existed comes only with courses' own backfill,
 * which it must still ask for.
 */
describe.each(['mysql', 'sqlite'] as const)('people backfill at start while events land (%s)', (dialect) => {
  let stack: Stack;
  const school = DEMO.schools.demo.id;
  const courses = () => stack.service<SubgraphService>('courses').orm();
  const requests = () => courses().em.fork().count(OutboxMessage, { type: 'people.backfill.requested' });
  const demoLink = { guardianId: DEMO.users.demoParent.id, studentId: DEMO.users.demoStudent.id };
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users', 'courses'] });
  });
  afterAll(() => stack?.stop());

  it('still asks when a person landed before its request, and gets every person and guardian link', async () => {
    // The first start's backfill applied in full: no event of it is left to land after the wipe below.
    await peopleBackfillApplied(stack, 'courses');
    const before = await requests();
    // Its read models of people lost, and a person waiting in its people queue while it is down.
    for (const model of [Person, GuardianLink]) await courses().em.fork().nativeDelete(model, {}, everySchool);
    await stack.service('courses').stop();
    const early: DomainEventOf<'user.upserted'> = {
      id: randomUUID(),
      type: 'user.upserted',
      version: 1,
      tenantId: school,
      occurredAt: new Date().toISOString(),
      payload: { userId: randomUUID(), roles: [Roles.STUDENT], active: true, displayName: 'Early' },
    };
    await stack.transport.broker.publish(early.type, early, { id: early.id });
    await stack.restart('courses');

    await eventually(async () => {
      const em = scopeToTenant(courses().em.fork(), school);
      expect(await em.count(Person, { id: early.payload.userId })).toBe(1);
      expect(await em.count(GuardianLink, demoLink)).toBe(1);
      expect(await em.count(Person, { id: { $in: [demoLink.guardianId, demoLink.studentId] } })).toBe(2);
    }, 60_000);
    // One request for this start.
    expect(await requests()).toBe(before + 1);
  }, 150_000);
});
