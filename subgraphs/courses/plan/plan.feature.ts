import type { Feature } from '../../../platform/subgraph/feature';
import { CoursePlan } from './course-plan.entity';
import { coursePlansConsumer } from './plan.consumer';
import { coursePlanLoaders } from './plan.loaders';

/** The read model of billing's plans per course (fed by its events): which courses are sold, not given. */
export const coursePlanFeature = {
  entities: [CoursePlan],
  loaders: coursePlanLoaders,
  consumers: [coursePlansConsumer],
} satisfies Feature;
