import type { Feature } from '../../../platform/subgraph/feature';
import { Course } from './course.entity';
import { courseLoaders } from './course.loaders';
import { CourseResolver, courseReference } from './course.resolver';

/** Courses themselves: the root every other feature of this subgraph extends. */
export const courseFeature = {
  entities: [Course],
  resolvers: [CourseResolver],
  references: { Course: courseReference },
  loaders: courseLoaders,
} satisfies Feature;
