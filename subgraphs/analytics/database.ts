import type { DatabaseOptions } from '../../platform/db/orm';
import { entities } from './features';
import { migrations as mysql } from './migrations/mysql';
import { migrations as sqlite } from './migrations/sqlite';

/** The analytics subgraph's database: its entities (with the outbox's) and committed migrations per dialect. */
export const analyticsDatabase: Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'> = {
  service: 'analytics',
  entities,
  migrations: { mysql, sqlite },
};
