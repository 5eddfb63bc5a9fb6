import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Roles } from '../../../platform/auth/roles';
import { openDatabase } from '../../../platform/db/orm';
import { scopeToTenant } from '../../../platform/db/tenant';
import { EVERY_SCHOOL } from '../../../platform/events/domain-events';
import { createLogger } from '../../../platform/logger';
import { Person } from '../../../platform/people/person.entity';
import { testDatabase } from '../../../testkit/database';
import { analyticsDatabase } from '../database';
import { planPeopleBackfill } from './person.backfill';

import { backfillRequests } from '../../../testkit/people-backfill';

const logger = createLogger('test', 'silent');

/** When analytics asks users for every person, on its own database (nobody answers here). */
describe.each(['mysql', 'sqlite'] as const)('people backfill plan (%s)', (dialect) => {
  const db = testDatabase(dialect, 'analytics');
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await openDatabase({ ...analyticsDatabase, ...db.options });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });
  const requests = () => backfillRequests(orm);

  it('asks when the read model was empty at start, even once a person landed before the request', async () => {
    const backfill = await planPeopleBackfill(orm, logger);
    // What the first delivery does once the queue is bound.
    const schoolId = randomUUID();
    const em = scopeToTenant(orm.em.fork(), schoolId);
    em.create(Person, { id: randomUUID(), schoolId, roles: [Roles.STUDENT], observedAt: new Date() });
    await em.flush();
    await backfill.request();
    expect(await requests()).toEqual([{ tenantId: EVERY_SCHOOL, payload: { requestedBy: 'analytics' } }]);
  });

  it('does not ask when it knew people at start', async () => {
    await (await planPeopleBackfill(orm, logger)).request();
    expect(await requests()).toHaveLength(1);
  });
});
