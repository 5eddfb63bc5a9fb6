import type { DatabaseOptions } from '../../platform/db/orm';
import { entities } from './features';
import { migrations as mysql } from './migrations/mysql';
import { migrations as sqlite } from './migrations/sqlite';

/** The users subgraph's database: its entities and committed migrations per dialect. */
export const usersDatabase: Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'> = {
  service: 'users',
  entities,
  migrations: { mysql, sqlite },
};
