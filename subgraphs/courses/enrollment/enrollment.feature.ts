import type { Feature } from '../../../platform/subgraph/feature';
import { CourseEnrollmentsResolver } from './enrollment.extensions';
import { Enrollment } from './enrollment.entity';
import { enrollmentLoaders } from './enrollment.loaders';
import { EnrollmentResolver } from './enrollment.resolver';
import { danglingEnrollmentsConsumer } from './dangling.consumer';
import { subscriptionEnrollmentConsumer } from './subscription.consumer';

/**
 * Enrollments and progress; paid plan subscriptions (billing) enroll through its consumer; after a
 * people backfill, enrollments naming no student of the school are removed (dangling.consumer.ts).
 */
export const enrollmentFeature = {
  entities: [Enrollment],
  resolvers: [EnrollmentResolver, CourseEnrollmentsResolver],
  loaders: enrollmentLoaders,
  consumers: [subscriptionEnrollmentConsumer, danglingEnrollmentsConsumer],
} satisfies Feature;
