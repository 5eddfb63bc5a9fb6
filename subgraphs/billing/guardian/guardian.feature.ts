import type { Feature } from '../../../platform/subgraph/feature';
import { GuardianLink } from './guardian-link.entity';
import { guardianLinksConsumer } from './guardian.consumer';
import { guardianLoaders } from './guardian.loaders';

/** The read model of guardian links (fed by users' events): who pays for and follows which student. */
export const guardianFeature = {
  entities: [GuardianLink],
  loaders: guardianLoaders,
  consumers: [guardianLinksConsumer],
} satisfies Feature;
