import type { DatabaseOptions } from '../../platform/db/orm';
import { entities } from './features';
import { migrations as mysql } from './migrations/mysql';
import { migrations as sqlite } from './migrations/sqlite';

/** The billing subgraph's database: its entities (with the outbox's) and committed migrations per dialect. */
export const billingDatabase: Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'> = {
  service: 'billing',
  entities,
  migrations: { mysql, sqlite },
};
