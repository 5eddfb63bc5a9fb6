import type { Feature } from '../../../platform/subgraph/feature';
import { EnrollmentFact } from './enrollment-fact.entity';
import { StudentActivity } from './student-activity.entity';

/** Enrollments (state and progress) and each student's last activity per course. */
export const enrollmentFeature = { entities: [EnrollmentFact, StudentActivity] } satisfies Feature;
