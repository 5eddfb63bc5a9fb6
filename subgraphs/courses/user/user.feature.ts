import type { Feature } from '../../../platform/subgraph/feature';
import { UserCoursesResolver, userReference } from './user.resolver';

/** `User` from users, extended with the courses a person teaches and is enrolled in. */
export const userFeature = {
  resolvers: [UserCoursesResolver],
  references: { User: userReference },
} satisfies Feature;
