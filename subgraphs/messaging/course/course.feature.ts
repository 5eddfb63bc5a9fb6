import type { Feature } from '../../../platform/subgraph/feature';
import { CourseEnrollment } from './course-enrollment.entity';
import { CourseInfo } from './course-info.entity';

/** The read model of courses and their enrollments (fed by courses' events): audiences and who teaches whom. */
export const courseFeature = {
  entities: [CourseInfo, CourseEnrollment],
} satisfies Feature;
