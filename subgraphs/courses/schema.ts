import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../../platform/graphql/auth-checker';
import { buildFederatedSchema, instanceContainer } from '../../platform/graphql/federation';
import { courses } from './features';

/**
 * The courses subgraph schema, from its features' resolvers and entity references. Resolver
 * instances come from `instances` (constructor-injected services); printing the SDL needs none,
 * so it can run without a database.
 */
export function buildCoursesSchema(instances: object[] = []): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: courses.resolvers as never, authChecker, container: instanceContainer(instances) },
    courses.references,
  );
}
