import type { GraphQLSchema } from 'graphql';
import type { Messaging } from '../platform/messaging';
import type { Service } from '../platform/service';
import { createUsersService } from './users/app';
import { usersConfigFromEnv } from './users/env';
import { buildUsersSchema } from './users/schema';

export interface SubgraphEntry {
  name: string;
  /** Port when run as its own process; also the routing URL written into the committed supergraph. */
  defaultPort: number;
  /** The schema without any running dependency (for SDL emission). */
  buildSchema(): Promise<GraphQLSchema>;
  /** The service configured from environment variables, sharing the process's messaging if given. */
  create(env: Record<string, string | undefined>, messaging?: Messaging): Service;
}

/** Every subgraph of the platform. Adding one: see README "Adding a subgraph". */
export const subgraphs: SubgraphEntry[] = [
  { name: 'users', defaultPort: 4001, buildSchema: () => buildUsersSchema(), create: (env, messaging) => createUsersService(usersConfigFromEnv(env), messaging) },
];
