import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pairKey } from '../../../platform/graphql/loaders';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { Enrollment } from '../enrollment/enrollment.entity';
import { optionalViewer, viewerOf } from '../../../platform/auth/viewer';
import { Lesson } from './lesson.entity';
import { AddLessonInput, UpdateLessonInput } from './lesson.input';
import type { LessonService } from './lesson.service';

@Resolver(() => Lesson)
export class LessonResolver {
  constructor(private readonly lessons: LessonService) {}

  @Authorized()
  @Query(() => Lesson, { nullable: true, description: 'A lesson of a course the caller may see; null otherwise (and once deleted).' })
  async lesson(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<Lesson | null> {
    const lesson = await ctx.loaders.lesson.load(id);
    return (await coursePolicy.viewableCourseOf(ctx, viewerOf(ctx), lesson)) ? lesson : null;
  }

  @Authorized()
  @Mutation(() => Lesson, { description: "The course's teacher or a school admin; appended after the last lesson." })
  addLesson(@Arg('courseId', () => ID) courseId: string, @Arg('input') input: AddLessonInput, @Ctx() ctx: CoursesContext): Promise<Lesson> {
    return this.lessons.add(ctx, courseId, input);
  }

  @Authorized()
  @Mutation(() => Lesson)
  updateLesson(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateLessonInput, @Ctx() ctx: CoursesContext): Promise<Lesson> {
    return this.lessons.update(ctx, id, input);
  }

  @Authorized()
  @Mutation(() => [Lesson], { description: "Sets the order of a course's lessons: lessonIds lists every lesson once." })
  reorderLessons(
    @Arg('courseId', () => ID) courseId: string,
    @Arg('lessonIds', () => [ID]) lessonIds: string[],
    @Ctx() ctx: CoursesContext,
  ): Promise<Lesson[]> {
    return this.lessons.reorder(ctx, courseId, lessonIds);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "The course's teacher or a school admin. Soft delete: the lesson leaves every view and the course's progress; completions stay in history.",
  })
  deleteLesson(@Arg('id', () => ID) id: string, @Ctx() ctx: CoursesContext): Promise<boolean> {
    return this.lessons.delete(ctx, id);
  }

  @Authorized()
  @Mutation(() => Enrollment, { description: 'The calling student finished the lesson; idempotent. Returns the updated enrollment.' })
  completeLesson(@Arg('lessonId', () => ID) lessonId: string, @Ctx() ctx: CoursesContext): Promise<Enrollment> {
    return this.lessons.complete(ctx, lessonId);
  }

  @FieldResolver(() => Course)
  async course(@Root() lesson: Lesson, @Ctx() ctx: CoursesContext): Promise<Course> {
    return (await ctx.loaders.course.load(lesson.course.id))!;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the calling student completed it (false for everyone else).' })
  async completed(@Root() lesson: Lesson, @Ctx() ctx: CoursesContext): Promise<boolean> {
    const viewer = optionalViewer(ctx);
    if (!viewer?.isStudent) return false;
    const enrollment = await ctx.loaders.enrollmentOf.load(pairKey(lesson.course.id, viewer.id));
    return !!enrollment && (await ctx.loaders.completionsByEnrollment.load(enrollment.id)).some((c) => c.lesson.id === lesson.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Text (Markdown); for enrolled students, the teacher and admins only.' })
  async content(@Root() lesson: Lesson, @Ctx() ctx: CoursesContext): Promise<string | null> {
    return (await canStudyLesson(ctx, lesson)) ? (lesson.content ?? null) : null;
  }
}

/** Whether the caller may open the lesson's content and file. */
export async function canStudyLesson(ctx: CoursesContext, lesson: Lesson): Promise<boolean> {
  const viewer = optionalViewer(ctx);
  const course = viewer && (await ctx.loaders.course.load(lesson.course.id));
  return !!course && (await coursePolicy.canStudy(ctx, viewer!, course));
}
