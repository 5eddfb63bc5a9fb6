import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../../platform/graphql/auth-checker';
import { buildFederatedSchema, instanceContainer } from '../../platform/graphql/federation';
import { AuthResolver } from './auth/auth.resolver';
import { GuardianResolver } from './guardian/guardian.resolver';
import { InvitationResolver } from './invitation/invitation.resolver';
import { SchoolResolver, schoolReference } from './school/school.resolver';
import { UserResolver, userReference } from './user/user.resolver';

export const resolvers = [SchoolResolver, UserResolver, AuthResolver, InvitationResolver, GuardianResolver] as const;

/**
 * The users subgraph schema. Resolver instances come from `instances` (constructor-injected
 * services); printing the SDL needs none, so it can run without a database.
 */
export function buildUsersSchema(instances: object[] = []): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers,
      authChecker,
      container: instanceContainer(instances),
    },
    { User: userReference, School: schoolReference },
  );
}
