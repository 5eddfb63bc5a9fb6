import type { EntityManager } from '@mikro-orm/core';
import { SchemaVersion } from './schema-version.entity';

/** Versions carry large documents: load only `fields`, or everything but `exclude`. */
export interface VersionFields {
  fields?: Array<keyof SchemaVersion>;
  exclude?: Array<keyof SchemaVersion>;
}

/** The newest version, or null before the first publish. */
export async function latestVersion(em: EntityManager, load: VersionFields = {}): Promise<SchemaVersion | null> {
  // find + limit: findOne refuses an empty filter.
  const [head] = await em.find(SchemaVersion, {}, { orderBy: { number: 'desc' }, limit: 1, ...(load as object) });
  return head ?? null;
}
