import { registryDatabase } from '../registry/database';
import type { SubgraphDatabase } from '../platform/subgraph/host';
import { subgraphs } from '../subgraphs/catalog';

/** Every service's database description, by service name (migrations script, schema checks): the catalog's subgraphs and the registry. */
export const databases: Record<string, SubgraphDatabase> = {
  ...Object.fromEntries(subgraphs.map((s) => [s.name, s.database])),
  registry: registryDatabase,
};

/** Services whose data is platform-wide (no school_id rows), so the tenant-filter checks do not apply. */
export const untenanted = new Set(['registry']);

/** Where a service's committed migrations live. */
export const migrationsFolder = (service: string) => (service === 'registry' ? 'registry' : `subgraphs/${service}`);
