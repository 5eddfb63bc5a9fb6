import { Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import { ConnectionType, PageArgs, paginate } from '../../../platform/graphql/connection';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { Enrollment } from './enrollment.entity';

export const EnrollmentConnection = ConnectionType(Enrollment);

/** The fields enrollments add to a course. */
@Resolver(() => Course)
export class CourseEnrollmentsResolver {
  @FieldResolver(() => EnrollmentConnection, {
    description: "The teacher and admins see every enrollment; students their own; parents their children's.",
  })
  async enrollments(@Root() course: Course, @Args() page: PageArgs, @Ctx() ctx: CoursesContext) {
    const viewer = viewerOf(ctx);
    const scope = coursePolicy.canManage(viewer, course) ? {} : { studentId: { $in: await coursePolicy.followedStudentIds(ctx, viewer) } };
    return paginate(ctx.em, Enrollment, { course: course.id, ...scope }, page);
  }

  @FieldResolver(() => Int, { description: 'Students enrolled and not dropped.' })
  enrollmentCount(@Root() course: Course, @Ctx() ctx: CoursesContext): Promise<number> {
    return ctx.loaders.enrollmentCount.load(course.id);
  }
}
