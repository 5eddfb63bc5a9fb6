import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AnalyticsContext } from '../context';
import { CourseRef } from '../references';
import { courseAnalytics } from './course-analytics';
import { CourseAnalytics } from './course-analytics.type';
import { assertMayReadCourse } from './course.policy';

/** The field analytics adds to the courses subgraph's `Course`. */
@Resolver(() => CourseRef)
export class CourseAnalyticsResolver {
  @FieldResolver(() => CourseAnalytics, { description: "The course's learning figures; its teacher and the school's admins only." })
  async analytics(@Root() course: CourseRef, @Ctx() ctx: AnalyticsContext): Promise<CourseAnalytics> {
    await assertMayReadCourse(ctx, course.id);
    const [stats, active] = await Promise.all([ctx.loaders.courseStats.load(course.id), ctx.loaders.activeStudents.load(course.id)]);
    return courseAnalytics(stats, active);
  }
}

/** `_entities` lookups of a Course: courses resolved it (and who may see it) before the gateway asks here. */
export const courseReference = {
  __resolveReference: (ref: { id: string }) => Object.assign(new CourseRef(), { id: ref.id }),
};
