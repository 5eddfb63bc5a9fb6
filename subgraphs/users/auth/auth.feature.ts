import type { Feature } from '../../../platform/subgraph/feature';
import { RefreshToken } from './refresh-token.entity';
import { AuthResolver } from './auth.resolver';

/** Sign-in, refresh-token rotation and sign-out. */
export const authFeature = {
  entities: [RefreshToken],
  resolvers: [AuthResolver],
} satisfies Feature;
