import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Authorized, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { ConnectionType, PageArgs, paginate } from '../../../platform/graphql/connection';
import type { CoursesContext } from '../context';
import { SchoolRef, schoolRef, UserRef, userRef } from '../references';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { Course, CourseStatus } from './course.entity';
import { CreateCourseInput, UpdateCourseInput } from './course.input';
import { coursePolicy } from './course.policy';
import type { CourseService } from './course.service';

const HINT = cacheHint(60, 'PRIVATE');
export const CourseConnection = ConnectionType(Course, 'Course', ['@tag(name: "partner")', HINT], [HINT]);

@Resolver(() => Course)
export class CourseResolver {
  constructor(private readonly service: CourseService) {}

  @Authorized()
  @Directive(cacheHint(60, 'PRIVATE'))
  @Query(() => CourseConnection, {
    description:
      'Courses of the current school the caller may see (admins: all; teachers: their own and published ones; students and parents: published ones and those they or their children are enrolled in).',
  })
  async courses(
    @Args() page: PageArgs,
    @Arg('status', () => CourseStatus, { nullable: true }) status: CourseStatus | undefined,
    @Ctx() ctx: CoursesContext,
  ) {
    const viewer = viewerOf(ctx);
    const statusFilter = status ? { status } : {};
    if (viewer.isAdmin) return paginate(ctx.em, Course, statusFilter, page);
    const followed = await coursePolicy.followedStudentIds(ctx, viewer);
    const enrolledIn = (await Promise.all(followed.map((id) => ctx.loaders.activeCourseIds.load(id)))).flat();
    const visible = {
      $or: [
        { status: CourseStatus.PUBLISHED },
        ...(viewer.isTeacher ? [{ teacherId: viewer.id }] : []),
        ...(enrolledIn.length ? [{ id: { $in: enrolledIn }, status: CourseStatus.ARCHIVED }] : []),
      ],
    };
    return paginate(ctx.em, Course, { $and: [visible, statusFilter] } as FilterQuery<Course>, page);
  }

  @Directive('@tag(name: "partner")')
  @Query(() => CourseConnection, {
    description: "The current school's published course catalog. Public: no sign-in needed (partner contract).",
  })
  async catalog(@Args() page: PageArgs, @Ctx() ctx: CoursesContext) {
    return paginate(ctx.em, Course, { status: CourseStatus.PUBLISHED }, page);
  }

  @Authorized()
  @Directive(cacheHint(60, 'PRIVATE'))
  @Query(() => Course, { nullable: true, description: 'A course the caller may see; null otherwise.' })
  async course(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<Course | null> {
    return visibleCourse(ctx, id);
  }

  @Authorized()
  @Mutation(() => Course, { description: 'Teachers (for themselves) and school admins. Starts as DRAFT.' })
  createCourse(@Arg('input') input: CreateCourseInput, @Ctx() ctx: CoursesContext): Promise<Course> {
    return this.service.create(ctx, input);
  }

  @Authorized()
  @Mutation(() => Course)
  updateCourse(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateCourseInput, @Ctx() ctx: CoursesContext): Promise<Course> {
    return this.service.update(ctx, id, input);
  }

  @Authorized()
  @Mutation(() => Course, { description: 'Makes the course visible to the school (also restores an archived one).' })
  publishCourse(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<Course> {
    return this.service.publish(ctx, id);
  }

  @Authorized()
  @Mutation(() => Course, { description: 'Read-only from now on; enrolled students keep their history.' })
  archiveCourse(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<Course> {
    return this.service.archive(ctx, id);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "The course's teacher or a school admin, in any status. Soft delete: the course and everything in it leave every view; the history stays stored.",
  })
  deleteCourse(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<boolean> {
    return this.service.delete(ctx, id);
  }

  @Directive(cacheHint(60, 'PRIVATE'))
  @FieldResolver(() => SchoolRef)
  school(@Root() course: Course): SchoolRef {
    return schoolRef(course.schoolId);
  }

  @Directive(cacheHint(60, 'PRIVATE'))
  @FieldResolver(() => UserRef)
  teacher(@Root() course: Course): UserRef {
    return userRef(course.teacherId);
  }
}

/** A course by id if the caller may see it, else null (shared by `course` and `__resolveReference`). */
async function visibleCourse(ctx: CoursesContext, id: string): Promise<Course | null> {
  const viewer = optionalViewer(ctx);
  if (!viewer) return null;
  const course = await ctx.loaders.course.load(id);
  return course && (await coursePolicy.canView(ctx, viewer, course)) ? course : null;
}

/** `_entities` lookups of a Course from other subgraphs (billing's Plan.course…): same visibility as `course(id)`. */
export const courseReference = {
  __resolveReference: (ref: { id: string }, ctx: CoursesContext) => visibleCourse(ctx, ref.id),
};
