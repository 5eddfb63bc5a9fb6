import type { DatabaseOptions } from '../../platform/db/orm';
import { entities } from './features';
import { migrations as mysql } from './migrations/mysql';
import { migrations as sqlite } from './migrations/sqlite';

/** The courses subgraph's database: its entities (with the outbox's) and committed migrations per dialect. */
export const coursesDatabase: Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'> = {
  service: 'courses',
  entities,
  migrations: { mysql, sqlite },
};
