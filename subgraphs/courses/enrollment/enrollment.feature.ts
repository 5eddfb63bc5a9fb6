import type { Feature } from '../../../platform/subgraph/feature';
import { CourseEnrollmentsResolver } from './enrollment.extensions';
import { Enrollment } from './enrollment.entity';
import { enrollmentLoaders } from './enrollment.loaders';
import { EnrollmentResolver } from './enrollment.resolver';
import { coursesBackfillConsumer } from './courses-backfill.consumer';
import { danglingEnrollmentsConsumer } from './dangling.consumer';
import { subscriptionEnrollmentConsumer } from './subscription.consumer';

/**
 * Enrollments and progress; paid plan subscriptions (billing) enroll through its consumer; after a
 * people backfill, enrollments naming no student of the school are removed (dangling.consumer.ts);
 * a subgraph that keeps a read model of courses gets every course and enrollment on request
 * (courses-backfill.consumer.ts).
 */
export const enrollmentFeature = {
  entities: [Enrollment],
  resolvers: [EnrollmentResolver, CourseEnrollmentsResolver],
  loaders: enrollmentLoaders,
  consumers: [subscriptionEnrollmentConsumer, danglingEnrollmentsConsumer, coursesBackfillConsumer],
} satisfies Feature;
