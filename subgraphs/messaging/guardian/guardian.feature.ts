import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import { guardianLinksConsumer, guardianLoaders } from '../../../platform/people/read-models';
import type { Feature } from '../../../platform/subgraph/feature';
import './guardian.loaders';

/** The read model of guardian links (fed by users' events): which parents hear about which student. */
export const guardianFeature = {
  entities: [GuardianLink],
  loaders: guardianLoaders,
  consumers: [guardianLinksConsumer('messaging')],
} satisfies Feature;
