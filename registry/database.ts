import type { DatabaseOptions } from '../platform/db/orm';
import { entities } from './entities';
import { migrations as mysql } from './migrations/mysql';
import { migrations as sqlite } from './migrations/sqlite';

/** The registry's database: its entities and committed migrations per dialect. No tenant rows: schemas are platform-wide. */
export const registryDatabase: Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'> = {
  service: 'registry',
  entities,
  migrations: { mysql, sqlite },
};
