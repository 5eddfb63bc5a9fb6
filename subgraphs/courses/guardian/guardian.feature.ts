import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import { guardianLinksConsumer, guardianLoaders } from '../../../platform/people/read-models';
import type { Feature } from '../../../platform/subgraph/feature';
import './guardian.loaders';

/** The read model of guardian links (fed by users' events): who may follow which student. */
export const guardianFeature = {
  entities: [GuardianLink],
  loaders: guardianLoaders,
  consumers: [guardianLinksConsumer('courses')],
} satisfies Feature;
