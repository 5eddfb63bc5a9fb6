import type { GraphQLSchema } from 'graphql';
import type { SubgraphConfig } from '../env';
import type { Transport } from '../transport';
import type { SubgraphParts } from './feature';
import type { DatabaseOverrides, SubgraphDatabase, SubgraphService } from './host';

/** How scripts, the test stack and the start-up find a subgraph: its entry in subgraphs/catalog.ts. */
export interface SubgraphManifest {
  name: string;
  /** Port when run as its own process; also the routing URL written into the committed supergraph. */
  defaultPort: number;
  database: SubgraphDatabase;
  /** The schema without any running dependency (for SDL emission). */
  buildSchema(): Promise<GraphQLSchema>;
  /**
   * The service configured from environment variables, sharing the process's transport if given;
   * `database` adds options env cannot carry (tests name the database and count SQL statements).
   */
  create(env: Record<string, string | undefined>, transport?: Transport, database?: DatabaseOverrides): SubgraphService;
}

/** A subgraph's manifest from its own parts (each subgraph's app.ts exports one). */
export function defineSubgraph<Config extends SubgraphConfig>(parts: {
  name: string;
  defaultPort: number;
  database: SubgraphDatabase;
  configFromEnv(env: Record<string, string | undefined>): Config;
  parts: Pick<SubgraphParts, 'buildSchema'>;
  createService(config: Config & { database: DatabaseOverrides }, transport?: Transport): SubgraphService;
}): SubgraphManifest {
  return {
    name: parts.name,
    defaultPort: parts.defaultPort,
    database: parts.database,
    buildSchema: () => parts.parts.buildSchema(),
    create(env, transport, database = {}) {
      const config = parts.configFromEnv(env);
      return parts.createService({ ...config, database: { ...config.database, ...database } }, transport);
    },
  };
}
