import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { cacheHint } from '../../../platform/graphql/cache-control';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { UserRef, userRef } from '../references';
import { Enrollment } from './enrollment.entity';
import type { EnrollmentService } from './enrollment.service';

/**
 * An enrollment is reached only through fields that already checked who may see it (Course.enrollments,
 * User.enrollments, completeLesson…), so its own fields need no further check.
 */
@Resolver(() => Enrollment)
export class EnrollmentResolver {
  constructor(private readonly enrollments: EnrollmentService) {}

  @Authorized()
  @Mutation(() => Enrollment, {
    description:
      "A school admin or the course's teacher enrolls an active student of the school (BAD_USER_INPUT on studentId otherwise). CONFLICT when already enrolled.",
  })
  enroll(
    @Arg('courseId', () => ID) courseId: string,
    @Arg('studentId', () => ID) studentId: string,
    @Ctx() ctx: CoursesContext,
  ): Promise<Enrollment> {
    return this.enrollments.enroll(ctx, courseId, studentId);
  }

  @Authorized()
  @Mutation(() => Enrollment, { description: "A school admin or the course's teacher takes a student out of a course; progress is kept." })
  dropEnrollment(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<Enrollment> {
    return this.enrollments.drop(ctx, id);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "A school admin or the course's teacher removes an enrollment made by mistake: gone from rosters and counts, unlike dropEnrollment; its history is kept and returns if the student is enrolled again.",
  })
  removeEnrollment(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<boolean> {
    return this.enrollments.remove(ctx, id);
  }

  @FieldResolver(() => Course)
  async course(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<Course> {
    return (await ctx.loaders.course.load(enrollment.course.id))!;
  }

  @Directive(cacheHint(60, 'PRIVATE'))
  @FieldResolver(() => UserRef)
  student(@Root() enrollment: Enrollment): UserRef {
    return userRef(enrollment.studentId);
  }
}
