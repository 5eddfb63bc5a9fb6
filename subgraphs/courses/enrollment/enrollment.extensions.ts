import type { FilterQuery } from '@mikro-orm/core';
import { Args, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { connectionOf, ConnectionType, PageArgs, pageSize, paginate } from '../../../platform/graphql/connection';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { knownPeople } from '../person/person.rules';
import { Enrollment } from './enrollment.entity';
import { rosterKey } from './enrollment.loaders';

const HINT = cacheHint(60, 'PRIVATE');
export const EnrollmentConnection = ConnectionType(Enrollment, 'Enrollment', [HINT], [HINT]);

/** The fields enrollments add to a course. */
@Resolver(() => Course)
export class CourseEnrollmentsResolver {
  /**
   * Only enrollments of people the read model knows: users answers null for anyone else, and the
   * gateway turns a null `student: User!` into a null course, blanking the view for every row.
   * Such rows cannot be made any more (enroll checks the student) and the clean-up after a people
   * backfill removes old ones; this keeps the view whole meanwhile.
   */
  @Directive(cacheHint(60, 'PRIVATE'))
  @FieldResolver(() => EnrollmentConnection, {
    description: "The teacher and admins see every enrollment; students their own; parents their children's.",
  })
  async enrollments(@Root() course: Course, @Args() page: PageArgs, @Ctx() ctx: CoursesContext) {
    const viewer = viewerOf(ctx);
    const students = coursePolicy.canManage(viewer, course) ? null : await coursePolicy.followedStudentIds(ctx, viewer);
    if (page.after) {
      // A further page: one course at a time.
      const scope = students ? { studentId: { $in: students } } : {};
      const known = { studentId: knownPeople(ctx.em, course.schoolId) };
      return paginate(ctx.em, Enrollment, { $and: [{ course: course.id }, scope, known] } as FilterQuery<Enrollment>, page);
    }
    // First pages (a dashboard's rosters): batched over the courses of the request.
    const first = pageSize(page.first);
    const rows = first === 0 ? [] : await ctx.loaders.rosterFirstPage.load(rosterKey(course.id, students, first));
    return connectionOf(rows, first, () => ctx.loaders.rosterSize.load(rosterKey(course.id, students)));
  }

  @FieldResolver(() => Int, { description: 'Students enrolled and not dropped (the people the roster shows).' })
  enrollmentCount(@Root() course: Course, @Ctx() ctx: CoursesContext): Promise<number> {
    return ctx.loaders.enrollmentCount.load(course.id);
  }
}
