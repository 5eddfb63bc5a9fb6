import type { Feature } from '../../../platform/subgraph/feature';
import { CoursePlansResolver, courseReference } from './plan.extensions';
import { Plan } from './plan.entity';
import { planLoaders } from './plan.loaders';
import { PlanResolver, planReference } from './plan.resolver';

/** Plans (the school's price list) and `Course.plans`. */
export const planFeature = {
  entities: [Plan],
  resolvers: [PlanResolver, CoursePlansResolver],
  references: { Plan: planReference, Course: courseReference },
  loaders: planLoaders,
} satisfies Feature;
