import type { Feature } from '../../../platform/subgraph/feature';
import { CourseEnrollment } from './course-enrollment.entity';
import { CourseInfo } from './course-info.entity';
import { coursesConsumer } from './course.consumer';
import { courseLoaders } from './course.loaders';

/**
 * The read model of courses and their enrollments (fed by courses' events; filled at first start
 * by a courses backfill, backfill.ts): audiences (audience.ts) and who teaches whom.
 */
export const courseFeature = {
  entities: [CourseInfo, CourseEnrollment],
  loaders: courseLoaders,
  consumers: [coursesConsumer],
} satisfies Feature;
