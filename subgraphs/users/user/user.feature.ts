import type { Feature } from '../../../platform/subgraph/feature';
import { User } from './user.entity';
import { userLoaders } from './user.loaders';
import { UserResolver, userReference } from './user.resolver';

/** People of a school and their roles. */
export const userFeature = {
  entities: [User],
  resolvers: [UserResolver],
  references: { User: userReference },
  loaders: userLoaders,
} satisfies Feature;
