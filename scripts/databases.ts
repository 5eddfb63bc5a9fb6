import type { DatabaseOptions } from '../platform/db/orm';
import { coursesDatabase } from '../subgraphs/courses/database';
import { usersDatabase } from '../subgraphs/users/database';
import { registryDatabase } from '../registry/database';

/** Every subgraph's database description, by service name (migrations script, schema checks). */
export const databases: Record<string, Pick<DatabaseOptions, 'service' | 'entities' | 'migrations'>> = {
  users: usersDatabase,
  courses: coursesDatabase,
  registry: registryDatabase,
};

/** Services whose data is platform-wide (no school_id rows), so the tenant-filter checks do not apply. */
export const untenanted = new Set(['registry']);

/** Where a service's committed migrations live. */
export const migrationsFolder = (service: string) => (service === 'registry' ? 'registry' : `subgraphs/${service}`);
