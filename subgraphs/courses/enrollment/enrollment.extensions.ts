import type { FilterQuery } from '@mikro-orm/core';
import { Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import { ConnectionType, PageArgs, paginate } from '../../../platform/graphql/connection';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { knownPeople } from '../person/person.rules';
import { Enrollment } from './enrollment.entity';

export const EnrollmentConnection = ConnectionType(Enrollment);

/** The fields enrollments add to a course. */
@Resolver(() => Course)
export class CourseEnrollmentsResolver {
  /**
   * Only enrollments of people the read model knows: users answers null for anyone else, and the
   * gateway turns a null `student: User!` into a null course, blanking the view for every row.
   * Such rows cannot be made any more (enroll checks the student) and the clean-up after a people
   * backfill removes old ones; this keeps the view whole meanwhile.
   */
  @FieldResolver(() => EnrollmentConnection, {
    description: "The teacher and admins see every enrollment; students their own; parents their children's.",
  })
  async enrollments(@Root() course: Course, @Args() page: PageArgs, @Ctx() ctx: CoursesContext) {
    const viewer = viewerOf(ctx);
    const scope = coursePolicy.canManage(viewer, course) ? {} : { studentId: { $in: await coursePolicy.followedStudentIds(ctx, viewer) } };
    const known = { studentId: knownPeople(ctx.em, course.schoolId) };
    return paginate(ctx.em, Enrollment, { $and: [{ course: course.id }, scope, known] } as FilterQuery<Enrollment>, page);
  }

  @FieldResolver(() => Int, { description: 'Students enrolled and not dropped (the people the roster shows).' })
  enrollmentCount(@Root() course: Course, @Ctx() ctx: CoursesContext): Promise<number> {
    return ctx.loaders.enrollmentCount.load(course.id);
  }
}
