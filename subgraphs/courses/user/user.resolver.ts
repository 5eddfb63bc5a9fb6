import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../../platform/errors';
import { cacheHint } from '../../../platform/graphql/cache-control';
import type { CoursesContext } from '../context';
import { Course, CourseStatus } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { Enrollment } from '../enrollment/enrollment.entity';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { UserRef, userRef } from '../references';

@Resolver(() => UserRef)
export class UserCoursesResolver {
  @FieldResolver(() => [Enrollment], {
    description:
      "The person's enrollments: for themselves, their guardians and school admins; teachers see those in their own courses. Enrollments in draft courses only for the course's managers.",
  })
  async enrollments(@Root() user: UserRef, @Ctx() ctx: CoursesContext): Promise<Enrollment[]> {
    const viewer = viewerOf(ctx);
    const own = await coursePolicy.isSelfOrChild(ctx, viewer, user.id);
    if (!own && !viewer.isAdmin && !viewer.isTeacher) throw forbidden("Not allowed to see this person's enrollments");
    const enrollments = await ctx.loaders.enrollmentsByStudent.load(user.id);
    const courses = await ctx.loaders.course.loadMany(enrollments.map((e) => e.course.id));
    return enrollments.filter((_, i) => {
      const course = courses[i];
      if (!(course instanceof Course)) return false;
      if (coursePolicy.canManage(viewer, course)) return true;
      return own && course.status !== CourseStatus.DRAFT;
    });
  }

  @Directive(cacheHint(60, 'PRIVATE'))
  @FieldResolver(() => [Course], { description: 'Courses this person teaches that the caller may see.' })
  async teachingCourses(@Root() user: UserRef, @Ctx() ctx: CoursesContext): Promise<Course[]> {
    const viewer = viewerOf(ctx);
    const courses = await ctx.loaders.teachingCourses.load(user.id);
    const visible = await Promise.all(courses.map((c) => coursePolicy.canView(ctx, viewer, c)));
    return courses.filter((_, i) => visible[i]);
  }
}

/**
 * `_entities` lookups of a User for the fields above. This subgraph cannot tell whether the id
 * is a member of the school; it does not need to: the fields read through the tenant filter, so
 * another school's id simply has nothing here, and each field checks the caller.
 */
export const userReference = {
  __resolveReference: (ref: { id: string }, ctx: CoursesContext) => (optionalViewer(ctx) ? userRef(ref.id) : null),
};
