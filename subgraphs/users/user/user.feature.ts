import type { Feature } from '../../../platform/subgraph/feature';
import { peopleBackfillConsumer } from './people-backfill.consumer';
import { User } from './user.entity';
import { userLoaders } from './user.loaders';
import { UserResolver, userReference } from './user.resolver';

/** People of a school and their roles; answers other subgraphs' requests for every person (people backfill). */
export const userFeature = {
  entities: [User],
  resolvers: [UserResolver],
  references: { User: userReference },
  loaders: userLoaders,
  consumers: [peopleBackfillConsumer],
} satisfies Feature;
