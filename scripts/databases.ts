import type { DatabaseOptions } from '../platform/db/orm';
import { usersDatabase } from '../subgraphs/users/database';

/** Every subgraph's database description, by service name (migrations script, schema checks). */
export const databases: Record<string, Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'>> = {
  users: usersDatabase,
};
