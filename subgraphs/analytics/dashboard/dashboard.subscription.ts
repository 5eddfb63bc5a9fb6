import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import type { BusEvent } from '../../../platform/bus/event-bus';
import { forbidden, notFound } from '../../../platform/errors';
import { uuidArg } from '../../../platform/graphql/ids';
import type { SubscriptionContext } from '../../../platform/graphql/subgraph-ws';
import type { AnalyticsLoaders } from '../context';
import { CourseAnalytics } from '../course/course-analytics.type';
import { assertMayReadCourse } from '../course/course.policy';
import { SchoolAnalytics } from '../school/school-analytics.type';
import { dashboardTopics } from './topics';

/**
 * `Subscription.courseAnalytics` and `Subscription.schoolAnalytics`: the figures of
 * `Course.analytics` and `School.analytics`, sent when they change, at most once per interval
 * (DASHBOARD_INTERVAL_MS) with the newest value (dashboards.ts). Nothing is sent on subscribing:
 * a dashboard reads the current figures by query, then follows them here. Each client is admitted
 * with its own identity, as the queries are (a course: the school's admins and its teacher; a
 * school: its admins); an id of another school is unknown here and refused. Every admitted
 * watcher sees the same figures, so the gateway may share one feed per role (`sharing: 'role'`);
 * each event is the computed value itself, so resolving it needs nobody's identity.
 */
@Resolver()
export class DashboardSubscription {
  @Subscription(() => CourseAnalytics, {
    description: "A course's learning figures each time they change, at most once a second: its teacher and the school's admins only.",
    subscribe: async ({ args, context }) => {
      const ctx = context as SubscriptionContext<AnalyticsLoaders>;
      const viewer = viewerOf(ctx);
      const courseId = uuidArg((args as { courseId: string }).courseId, 'courseId');
      await assertMayReadCourse(ctx, courseId);
      // Admins pass the policy for any id: one the tenant filter does not find is not theirs.
      const course = await ctx.loaders.courseFact.load(courseId);
      if (!course || course.deleted) throw notFound('Course');
      return ctx.live.topic(dashboardTopics.course(viewer.schoolId, courseId), { sharing: 'role' });
    },
  })
  courseAnalytics(@Root() event: BusEvent<CourseAnalytics>, @Arg('courseId', () => ID) _courseId: string): CourseAnalytics {
    return event.data;
  }

  @Subscription(() => SchoolAnalytics, {
    description: "The school's figures each time they change, at most once a second: its admins only.",
    subscribe: ({ context }) => {
      const ctx = context as SubscriptionContext<AnalyticsLoaders>;
      const viewer = viewerOf(ctx);
      if (!viewer.isAdmin) throw forbidden("Only the school's admins may read its analytics");
      return ctx.live.topic(dashboardTopics.school(viewer.schoolId), { sharing: 'role' });
    },
  })
  schoolAnalytics(@Root() event: BusEvent<SchoolAnalytics>): SchoolAnalytics {
    return event.data;
  }
}
