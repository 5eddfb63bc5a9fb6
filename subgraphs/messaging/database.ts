import type { DatabaseOptions } from '../../platform/db/orm';
import { entities } from './features';
import { migrations as mysql } from './migrations/mysql';
import { migrations as sqlite } from './migrations/sqlite';

/** The messaging subgraph's database: its entities (with the outbox's) and committed migrations per dialect. */
export const messagingDatabase: Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'> = {
  service: 'messaging',
  entities,
  migrations: { mysql, sqlite },
};
