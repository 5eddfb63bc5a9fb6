import type { MikroORM } from '@mikro-orm/core';
import { openDatabase } from '../../platform/db/orm';
import { testDatabase } from '../../testkit/database';
import { registryDatabase } from '../database';
import { OperationUsage } from './operation-usage.entity';
import { UsageService } from './usage.service';

const DAY = 86_400_000;
const op = (id: string, name: string | null, count: number, fields: string[], client = 'app') => ({
  id: id.repeat(64 / id.length),
  name,
  client,
  count,
  fields,
});

/** The usage window on both dialects: only operations seen in the last N days count, summed over reports. */
describe.each(['mysql', 'sqlite'] as const)('usage on %s', (dialect) => {
  const db = testDatabase(dialect, 'registry');
  let orm: MikroORM;
  const usage = new UsageService(7);
  const now = new Date();

  beforeAll(async () => {
    orm = await openDatabase({ ...registryDatabase, ...db.options });
    await usage.record(
      orm.em.fork(),
      { operations: [op('a', 'Old', 5, ['School.timezone', 'School.name'])] },
      new Date(now.getTime() - 10 * DAY),
    );
    await usage.record(
      orm.em.fork(),
      { operations: [op('b', 'Recent', 2, ['School.name']), op('c', null, 1, ['School.name'], 'web')] },
      new Date(now.getTime() - DAY),
    );
    await usage.record(orm.em.fork(), { operations: [op('b', 'Recent', 3, ['School.name'], 'web')] }, now);
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('names the operations that used a coordinate within the window, most used first', async () => {
    const users = await usage.usersOf(orm.em.fork(), ['School.name', 'School.timezone', 'User.email'], now);
    expect(users.get('School.name')).toEqual([
      { id: 'b'.repeat(64), name: 'Recent', count: 5, clients: expect.arrayContaining(['app', 'web']) },
      { id: 'c'.repeat(64), name: `(anonymous ${'c'.repeat(12)})`, count: 1, clients: ['web'] },
    ]);
    // Used 10 days ago only: outside the 7-day window.
    expect(users.has('School.timezone')).toBe(false);
    expect(users.has('User.email')).toBe(false);
  });

  it('sums usage per client within the window, a partner under its own name', async () => {
    await usage.record(orm.em.fork(), { operations: [{ ...op('e', 'PartnerSchool', 4, ['School.name'], 'acme'), partner: 'acme' }] }, now);
    const clients = await usage.byClient(orm.em.fork(), undefined, now);
    expect(clients.map((c) => [c.client, c.count])).toEqual([
      ['acme', 4],
      ['app', 2],
      ['web', 4],
    ]);
    expect(await usage.byClient(orm.em.fork(), 'acme', now)).toEqual([
      { client: 'acme', count: 4, operations: [{ id: 'e'.repeat(64), name: 'PartnerSchool', count: 4 }] },
    ]);
    expect((await usage.partnerUsersOf(orm.em.fork(), ['School.name'])).get('School.name')).toEqual([
      expect.objectContaining({ id: 'e'.repeat(64), name: 'PartnerSchool', partner: 'acme' }),
    ]);
  });

  it('counts nothing and keeps nothing with a window of 0 days', async () => {
    const off = new UsageService(0);
    await off.record(orm.em.fork(), { operations: [op('d', 'Ignored', 1, ['School.slug'])] }, now);
    expect(await off.usersOf(orm.em.fork(), ['School.name'], now)).toEqual(new Map());
    expect(await orm.em.fork().count(OperationUsage, { operationId: 'd'.repeat(64) })).toBe(0);
  });
});
