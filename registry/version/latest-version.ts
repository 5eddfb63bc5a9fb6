import type { EntityManager } from '@mikro-orm/core';
import { SchemaVersion } from './schema-version.entity';

/** The newest version (only `fields` loaded when given), or null before the first publish. */
export async function latestVersion(em: EntityManager, fields?: Array<keyof SchemaVersion>): Promise<SchemaVersion | null> {
  // find + limit: findOne refuses an empty filter.
  const [head] = await em.find(
    SchemaVersion,
    {},
    { orderBy: { number: 'desc' }, limit: 1, ...(fields ? { fields: fields as never } : {}) },
  );
  return head ?? null;
}
