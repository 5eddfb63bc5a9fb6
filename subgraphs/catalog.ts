import type { GraphQLSchema } from 'graphql';
import type { DatabaseOptions } from '../platform/db/orm';
import type { Transport } from '../platform/transport';
import type { Service } from '../platform/service';
import { createCoursesService } from './courses/app';
import { coursesConfigFromEnv } from './courses/env';
import { buildCoursesSchema } from './courses/schema';
import { createUsersService } from './users/app';
import { usersConfigFromEnv } from './users/env';
import { buildUsersSchema } from './users/schema';

export interface SubgraphEntry {
  name: string;
  /** Port when run as its own process; also the routing URL written into the committed supergraph. */
  defaultPort: number;
  /** The schema without any running dependency (for SDL emission). */
  buildSchema(): Promise<GraphQLSchema>;
  /**
   * The service configured from environment variables, sharing the process's transport if given;
   * `database` adds options env cannot carry (tests count SQL statements with `onQuery`).
   */
  create(env: Record<string, string | undefined>, transport?: Transport, database?: Pick<DatabaseOptions, 'onQuery'>): Service;
}

/** Every subgraph of the platform. Adding one: see README "Adding a subgraph". */
export const subgraphs: SubgraphEntry[] = [
  {
    name: 'users',
    defaultPort: 4001,
    buildSchema: () => buildUsersSchema(),
    create: (env, transport, database) => {
      const config = usersConfigFromEnv(env);
      return createUsersService({ ...config, database: { ...config.database, ...database } }, transport);
    },
  },
  {
    name: 'courses',
    defaultPort: 4002,
    buildSchema: () => buildCoursesSchema(),
    create: (env, transport, database) => {
      const config = coursesConfigFromEnv(env);
      return createCoursesService({ ...config, database: { ...config.database, ...database } }, transport);
    },
  },
];
