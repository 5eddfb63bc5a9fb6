import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../../platform/graphql/auth-checker';
import { buildFederatedSchema, instanceContainer } from '../../platform/graphql/federation';
import { users } from './features';

/**
 * The users subgraph schema, from its features' resolvers and entity references. Resolver
 * instances come from `instances` (constructor-injected services); printing the SDL needs none,
 * so it can run without a database.
 */
export function buildUsersSchema(instances: object[] = []): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: users.resolvers as never, authChecker, container: instanceContainer(instances) },
    users.references,
  );
}
