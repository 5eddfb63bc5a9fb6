import type { Feature } from '../../../platform/subgraph/feature';
import { CourseAnalyticsResolver, courseReference } from './course-analytics.resolver';
import { CourseFact } from './course-fact.entity';
import { CourseStats } from './course-stats.entity';
import { courseLoaders } from './course.loaders';
import { CourseRef } from '../references';

/** Courses as analytics knows them (who teaches each), their stored aggregates and `Course.analytics`. */
export const courseFeature = {
  entities: [CourseFact, CourseStats],
  resolvers: [CourseAnalyticsResolver],
  references: { Course: courseReference },
  entityTypes: [CourseRef],
  loaders: courseLoaders,
} satisfies Feature;
