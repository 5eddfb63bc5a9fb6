import { Ctx, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import type { CoursesContext } from '../context';
import { Course } from '../course/course.entity';
import { Enrollment } from '../enrollment/enrollment.entity';
import { Lesson } from './lesson.entity';

/** The fields lessons add to their parents: a course's lessons, an enrollment's progress through them. */
@Resolver(() => Course)
export class CourseLessonsResolver {
  @FieldResolver(() => [Lesson])
  lessons(@Root() course: Course, @Ctx() ctx: CoursesContext): Promise<Lesson[]> {
    return ctx.loaders.lessonsByCourse.load(course.id);
  }
}

@Resolver(() => Enrollment)
export class EnrollmentProgressResolver {
  @FieldResolver(() => Float, { description: 'Completed lessons over all lessons of the course, 0 to 1 (0 without lessons).' })
  async progress(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<number> {
    const [lessons, done] = await Promise.all([ctx.loaders.lessonsByCourse.load(enrollment.course.id), completedLessons(enrollment, ctx)]);
    return lessons.length ? done.length / lessons.length : 0;
  }

  @FieldResolver(() => [Lesson], { name: 'completedLessons', description: 'In course order.' })
  completed(@Root() enrollment: Enrollment, @Ctx() ctx: CoursesContext): Promise<Lesson[]> {
    return completedLessons(enrollment, ctx);
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
