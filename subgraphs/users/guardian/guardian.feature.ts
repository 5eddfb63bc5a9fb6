import type { Feature } from '../../../platform/subgraph/feature';
import { GuardianLink } from './guardian-link.entity';
import { guardianLoaders } from './guardian.loaders';
import { GuardianResolver } from './guardian.resolver';
import { PairingCode } from './pairing-code.entity';

/** Parents linked to their children through pairing codes. */
export const guardianFeature = {
  entities: [GuardianLink, PairingCode],
  resolvers: [GuardianResolver],
  loaders: guardianLoaders,
} satisfies Feature;
