import type { Feature } from '../../../platform/subgraph/feature';
import { School } from './school.entity';
import { schoolLoaders } from './school.loaders';
import { SchoolResolver, schoolReference } from './school.resolver';

/** Schools: the tenants every other row belongs to. */
export const schoolFeature = {
  entities: [School],
  resolvers: [SchoolResolver],
  references: { School: schoolReference },
  loaders: schoolLoaders,
} satisfies Feature;
