import { Arg, Args, Ctx, Directive, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import { viewerOf } from '../../../platform/auth/viewer';
import { cacheHint } from '../../../platform/graphql/cache-control';
import { ConnectionType, PageArgs } from '../../../platform/graphql/connection';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { paginateBy } from '../course/keyset-page';
import { Enrollment } from '../enrollment/enrollment.entity';
import { LessonCompletion } from './lesson-completion.entity';
import { Lesson } from './lesson.entity';

export const LessonConnection = ConnectionType(Lesson);

/** The fields lessons add to their parents: a course's lessons, an enrollment's progress through them. */
@Resolver(() => Course)
export class CourseLessonsResolver {
  @Directive(cacheHint(60, 'PRIVATE'))
  @FieldResolver(() => [Lesson], { description: 'All at once, in course order (lessonPage pages them); deleted lessons never.' })
  lessons(@Root() course: Course, @Ctx() ctx: CoursesContext): Promise<Lesson[]> {
    return ctx.loaders.lessonsByCourse.load(course.id);
  }

  @FieldResolver(() => LessonConnection, {
    description:
      "The course's lessons a page at a time, in course order (reordering while paging may skip or repeat one); deleted lessons never.",
  })
  lessonPage(@Root() course: Course, @Args() page: PageArgs, @Ctx() ctx: CoursesContext) {
    return paginateBy(ctx.em, Lesson, { course: course.id }, page, 'position');
  }
}

@Resolver(() => Enrollment)
export class EnrollmentProgressResolver {
  @Directive(cacheHint(60, 'PRIVATE'))
  @FieldResolver(() => Float, {
    description: 'Completed lessons over all lessons of the course, 0 to 1 (0 without lessons); deleted lessons count in neither.',
  })
  async progress(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<number> {
    const [lessons, done] = await Promise.all([ctx.loaders.lessonsByCourse.load(enrollment.course.id), completedLessons(enrollment, ctx)]);
    return lessons.length ? done.length / lessons.length : 0;
  }

  @FieldResolver(() => [Lesson], { name: 'completedLessons', description: 'In course order; deleted lessons never.' })
  completed(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<Lesson[]> {
    return completedLessons(enrollment, ctx);
  }

  @FieldResolver(() => [LessonCompletion], {
    description:
      "The record of the student's progress: each lesson completed and when, oldest first. includeDeleted (the course's teacher and admins): also the completions of deleted lessons, which are kept but no longer count.",
  })
  async lessonCompletions(
    @Root() enrollment: Enrollment,
    @Arg('includeDeleted', () => Boolean, { defaultValue: false }) includeDeleted: boolean,
    @Ctx() ctx: CoursesContext,
  ): Promise<LessonCompletion[]> {
    if (!includeDeleted) {
      const completions = await ctx.loaders.completionsByEnrollment.load(enrollment.id);
      return [...completions].sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime());
    }
    await coursePolicy.requireDeletedViewer(ctx, viewerOf(ctx), enrollment.course.id);
    return ctx.loaders.completionsByEnrollmentIncludingDeleted.load(enrollment.id);
  }
}

@Resolver(() => LessonCompletion)
export class LessonCompletionResolver {
  @FieldResolver(() => Lesson, { description: 'Also once deleted (see Lesson.deletedAt): the completion is history.' })
  async lesson(@Root() completion: LessonCompletion, @Ctx() ctx: CoursesContext): Promise<Lesson> {
    return (await ctx.loaders.lessonIncludingDeleted.load(completion.lesson.id))!;
  }
}

async function completedLessons(enrollment: Enrollment, ctx: CoursesContext): Promise<Lesson[]> {
  const [lessons, completions] = await Promise.all([
    ctx.loaders.lessonsByCourse.load(enrollment.course.id),
    ctx.loaders.completionsByEnrollment.load(enrollment.id),
  ]);
  const done = new Set(completions.map((c) => c.lesson.id));
  return lessons.filter((l) => done.has(l.id));
}
