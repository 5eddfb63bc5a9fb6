import type { Feature } from '../../../platform/subgraph/feature';
import { CourseEnrollmentsResolver } from './enrollment.extensions';
import { Enrollment } from './enrollment.entity';
import { enrollmentLoaders } from './enrollment.loaders';
import { EnrollmentResolver } from './enrollment.resolver';
import { subscriptionEnrollmentConsumer } from './subscription.consumer';

/** Enrollments and progress; paid plan subscriptions (billing) enroll through its consumer. */
export const enrollmentFeature = {
  entities: [Enrollment],
  resolvers: [EnrollmentResolver, CourseEnrollmentsResolver],
  loaders: enrollmentLoaders,
  consumers: [subscriptionEnrollmentConsumer],
} satisfies Feature;
