import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Roles } from '../../platform/auth/roles';
import { openDatabase } from '../../platform/db/orm';
import { scopeToTenant, TENANT_FILTER } from '../../platform/db/tenant';
import { DEMO } from '../../platform/demo';
import { EVERY_SCHOOL } from '../../platform/events/domain-events';
import { createLogger } from '../../platform/logger';
import { OutboxMessage } from '../../platform/outbox/outbox';
import { GuardianLink } from '../../platform/people/guardian-link.entity';
import type { SubgraphService } from '../../platform/subgraph/host';
import { testDatabase } from '../../testkit/database';
import { eventually } from '../../testkit/eventually';
import { envelope } from '../../testkit/messaging-reactions';
import { startStack, type Stack } from '../../testkit/stack';
import { planBackfills, type BackfillOptions } from './backfill';
import { Contact } from './contact/contact.entity';
import { CourseInfo } from './course/course-info.entity';
import { messagingDatabase } from './database';

const logger = createLogger('test', 'silent');
const everySchool = { filters: { [TENANT_FILTER]: false } };

/** When messaging asks users and courses for everything, on its own database (nobody answers here). */
describe.each(['mysql', 'sqlite'] as const)('backfill requests (%s)', (dialect) => {
  const db = testDatabase(dialect, 'messaging');
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await openDatabase({ ...messagingDatabase, ...db.options });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });
  /** Plans and asks at once, as a start does when nothing lands in between. */
  const requestBackfills = async (options: Omit<BackfillOptions, 'orm' | 'logger'>) => {
    const backfills = await planBackfills({ orm, logger, ...options });
    await backfills.request();
    return backfills;
  };
  const requests = async (type: 'people.backfill.requested' | 'courses.backfill.requested') =>
    (await orm.em.fork().find(OutboxMessage, { type })).map((r) => ({ tenantId: r.tenantId, payload: JSON.parse(r.payload) as unknown }));
  const counts = async () => [(await requests('people.backfill.requested')).length, (await requests('courses.backfill.requested')).length];

  it('asks for people and courses while their read models are empty, again after each delay, until stopped', async () => {
    const backfills = await requestBackfills({ retryDelaysMs: [10, 10] });
    // At start and after each delay (the first re-ask may come before a first look: 10 ms).
    const asked = { tenantId: EVERY_SCHOOL, payload: { requestedBy: 'messaging' } };
    await eventually(async () => {
      expect(await requests('people.backfill.requested')).toEqual([asked, asked, asked]);
      expect(await requests('courses.backfill.requested')).toEqual([asked, asked, asked]);
    });
    backfills.stop();
    const stopped = await requestBackfills({ retryDelaysMs: [60_000] });
    stopped.stop();
    expect(await requests('people.backfill.requested')).toHaveLength(4);
  });

  it('asks only for what it lacks, unless told to ask always', async () => {
    const schoolId = randomUUID();
    const em = scopeToTenant(orm.em.fork(), schoolId);
    em.create(Contact, { id: randomUUID(), schoolId, roles: [Roles.PARENT], observedAt: new Date() });
    await em.flush();
    const [people, courses] = await counts();
    (await requestBackfills({ retryDelaysMs: [] })).stop();
    expect(await counts()).toEqual([people, courses + 1]);

    em.create(CourseInfo, { id: randomUUID(), schoolId, title: 'Known', teacherId: randomUUID(), status: 'DRAFT', observedAt: new Date() });
    await em.flush();
    (await requestBackfills({ retryDelaysMs: [] })).stop();
    expect(await counts()).toEqual([people, courses + 1]);
    (await requestBackfills({ mode: 'always', retryDelaysMs: [] })).stop();
    expect(await counts()).toEqual([people + 1, courses + 2]);
  });

  it('asks for what was empty when it planned, even once events have filled it before the request', async () => {
    for (const model of [Contact, CourseInfo]) await orm.em.fork().nativeDelete(model, {}, everySchool);
    const [people, courses] = await counts();
    const backfills = await planBackfills({ orm, logger, retryDelaysMs: [] });
    // What the first deliveries do once the queues are bound: a person and a course land.
    const schoolId = randomUUID();
    const em = scopeToTenant(orm.em.fork(), schoolId);
    em.create(Contact, { id: randomUUID(), schoolId, roles: [Roles.PARENT], observedAt: new Date() });
    em.create(CourseInfo, { id: randomUUID(), schoolId, title: 'Early', teacherId: randomUUID(), status: 'DRAFT', observedAt: new Date() });
    await em.flush();
    await backfills.request();
    backfills.stop();
    expect(await counts()).toEqual([people + 1, courses + 1]);
  });

  it('asks for nothing it had when it planned, and nothing once stopped', async () => {
    const [people, courses] = await counts();
    const known = await planBackfills({ orm, logger, retryDelaysMs: [] });
    await orm.em.fork().nativeDelete(Contact, {}, everySchool);
    await known.request();
    expect(await counts()).toEqual([people, courses]);

    const stopped = await planBackfills({ orm, logger, retryDelaysMs: [] });
    stopped.stop();
    await stopped.request();
    expect(await counts()).toEqual([people, courses]);
  });
});

/**
 * The race of a first start: users' events (its answer to another subgraph's backfill) land in
 * messaging's contacts queue, bound first, while the rest of its queues are still being bound.
 * The contacts are then no longer empty, but the guardian links sent before their queue existed
 * come only with messaging's own backfill, which it must still ask for.
 */
describe.each(['mysql', 'sqlite'] as const)('backfill at start while events land (%s)', (dialect) => {
  let stack: Stack;
  const school = DEMO.schools.demo.id;
  const messaging = () => stack.service<SubgraphService>('messaging').orm();
  const demoLink = { guardianId: DEMO.users.demoParent.id, studentId: DEMO.users.demoStudent.id };
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users', 'messaging'] });
  });
  afterAll(() => stack?.stop());

  it('still asks for the people backfill when a person landed before it, and gets every guardian link', async () => {
    // The first start's backfill applied in full: no event of it is left to land after the wipe below.
    await eventually(async () => {
      expect(await messaging().em.fork().count(Contact, {}, everySchool)).toBe(Object.keys(DEMO.users).length);
      expect(await scopeToTenant(messaging().em.fork(), school).count(GuardianLink, demoLink)).toBe(1);
    }, 60_000);
    // Its read models of people lost, and a person waiting in its contacts queue while it is down.
    for (const model of [Contact, GuardianLink]) await messaging().em.fork().nativeDelete(model, {}, everySchool);
    await stack.service('messaging').stop();
    const early = envelope('user.upserted', school, { userId: randomUUID(), roles: [Roles.STUDENT], active: true, displayName: 'Early' });
    await stack.transport.broker.publish(early.type, early, { id: early.id });
    await stack.restart('messaging');

    await eventually(async () => {
      const em = scopeToTenant(messaging().em.fork(), school);
      expect(await em.count(Contact, { id: early.payload.userId })).toBe(1);
      expect(await em.count(GuardianLink, demoLink)).toBe(1);
      expect(await em.count(Contact, { id: { $in: [demoLink.guardianId, demoLink.studentId] } })).toBe(2);
    }, 60_000);
    // One request per start: the first start's and this one's.
    expect(await messaging().em.fork().count(OutboxMessage, { type: 'people.backfill.requested' })).toBe(2);
  }, 150_000);
});
