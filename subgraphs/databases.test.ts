import type { MikroORM } from '@mikro-orm/core';
import { TENANT_FILTER } from '../platform/db/tenant';
import { openDatabase } from '../platform/db/orm';
import { testDatabase } from '../testkit/database';
import { databases, untenanted } from '../scripts/databases';

/**
 * Every subgraph's database, on both dialects: the committed migrations build exactly the schema
 * the entities describe, and every tenant-owned table is behind the tenant filter.
 */
describe.each(Object.keys(databases))('%s database', (service) => {
  describe.each(['mysql', 'sqlite'] as const)('on %s', (dialect) => {
    const db = testDatabase(dialect, service);
    let orm: MikroORM;
    beforeAll(async () => {
      orm = await openDatabase({ ...databases[service], ...db.options });
    });
    afterAll(async () => {
      await orm.close();
      await db.drop();
    });

    it('has migrations that match the entities (no pending schema change)', async () => {
      const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      expect(diff.trim()).toBe('');
    });

    // Registry data is platform-wide: it has no tenant rows to filter.
    if (untenanted.has(service)) return;

    it('puts every entity with a school_id behind the default tenant filter', () => {
      const owned = Object.values(orm.getMetadata().getAll()).filter((m) => !m.abstract && m.properties.schoolId);
      expect(owned.length).toBeGreaterThan(0);
      for (const meta of owned) {
        expect({ entity: meta.className, filter: meta.filters[TENANT_FILTER]?.default }).toEqual({ entity: meta.className, filter: true });
      }
    });

    it('refuses to query a tenant-owned entity without a tenant (fails closed)', async () => {
      const owned = Object.values(orm.getMetadata().getAll()).filter((m) => !m.abstract && m.properties.schoolId);
      for (const meta of owned) {
        await expect(orm.em.fork().find(meta.className, {})).rejects.toThrow(/filter/);
      }
    });
  });
});
