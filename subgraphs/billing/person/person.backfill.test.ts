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
import { billingDatabase } from '../database';
import { planPeopleBackfill } from './person.backfill';

const logger = createLogger('test', 'silent');
const everySchool = { filters: { [TENANT_FILTER]: false } };

/** When billing asks users for every person, on its own database (nobody answers here). */
describe.each(['mysql', 'sqlite'] as const)('people backfill plan (%s)', (dialect) => {
  const db = testDatabase(dialect, 'billing');
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await openDatabase({ ...billingDatabase, ...db.options });
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
    em.create(Person, { id: randomUUID(), schoolId, roles: [Roles.PARENT], observedAt: new Date() });
    await em.flush();
  };

  it('asks when the read model was empty at start, even once a person landed before the request', async () => {
    const backfill = await planPeopleBackfill(orm, logger);
    await personLands();
    await backfill.request();
    expect(await requests()).toEqual([{ tenantId: EVERY_SCHOOL, payload: { requestedBy: 'billing' } }]);
  });

  it('does not ask when it knew people at start, even once they are gone before the request', async () => {
    const backfill = await planPeopleBackfill(orm, logger);
    await orm.em.fork().nativeDelete(Person, {}, everySchool);
    await backfill.request();
    expect(await requests()).toHaveLength(1);
  });

  it('asks for nothing once stopped (a shutdown between wire and afterStart)', async () => {
    const backfill = await planPeopleBackfill(orm, logger);
    backfill.stop();
    await backfill.request();
    expect(await requests()).toHaveLength(1);
  });

  it('fails the request, not silently, when the request cannot be recorded', async () => {
    const closing = await openDatabase({ ...billingDatabase, ...db.options });
    const backfill = await planPeopleBackfill(closing, logger);
    await closing.close();
    await expect(backfill.request()).rejects.toThrow();
  });
});

/**
 * The race of a first start: users' events (its answer to another subgraph's backfill) land in
 * billing's people queue while the rest of its queues are still being bound. The people are then no
 * longer empty, but what was sent before a queue existed comes only with billing's own backfill,
 * which it must still ask for.
 */
describe.each(['mysql', 'sqlite'] as const)('people backfill at start while events land (%s)', (dialect) => {
  let stack: Stack;
  const school = DEMO.schools.demo.id;
  const billing = () => stack.service<SubgraphService>('billing').orm();
  const requests = () => billing().em.fork().count(OutboxMessage, { type: 'people.backfill.requested' });
  const demoLink = { guardianId: DEMO.users.demoParent.id, studentId: DEMO.users.demoStudent.id };
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users', 'billing'] });
  });
  afterAll(() => stack?.stop());

  it('still asks when a person landed before its request, and gets every person and guardian link', async () => {
    // The first start's backfill applied in full: no event of it is left to land after the wipe below.
    await peopleBackfillApplied(stack, 'billing');
    const before = await requests();
    // Its read models of people lost, and a person waiting in its people queue while it is down.
    for (const model of [Person, GuardianLink]) await billing().em.fork().nativeDelete(model, {}, everySchool);
    await stack.service('billing').stop();
    const early: DomainEventOf<'user.upserted'> = {
      id: randomUUID(),
      type: 'user.upserted',
      version: 1,
      tenantId: school,
      occurredAt: new Date().toISOString(),
      payload: { userId: randomUUID(), roles: [Roles.STUDENT], active: true, displayName: 'Early' },
    };
    await stack.transport.broker.publish(early.type, early, { id: early.id });
    await stack.restart('billing');

    await eventually(async () => {
      const em = scopeToTenant(billing().em.fork(), school);
      expect(await em.count(Person, { id: early.payload.userId })).toBe(1);
      expect(await em.count(GuardianLink, demoLink)).toBe(1);
      expect(await em.count(Person, { id: { $in: [demoLink.guardianId, demoLink.studentId] } })).toBe(2);
    }, 60_000);
    // One request for this start.
    expect(await requests()).toBe(before + 1);
  }, 150_000);
});
