import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { domainEvent } from '../../../platform/events/domain-events';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { CoursesContext } from '../context';
import { Course, CourseStatus } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { Enrollment, EnrollmentStatus } from '../enrollment/enrollment.entity';
import { optionalText, text } from '../../../platform/graphql/validation';
import { requireStudent, viewerOf, type Viewer } from '../../../platform/auth/viewer';
import { LessonCompletion } from './lesson-completion.entity';
import { Lesson, LessonKind } from './lesson.entity';
import { MAX_LESSON_TEXT, type AddLessonInput, type UpdateLessonInput } from './lesson.input';

/** `lesson.upserted`: what the gateway's cache (and any other reader of lessons) hears of an added, edited or moved lesson. */
const lessonUpserted = (schoolId: string, courseId: string, lessonId: string) =>
  domainEvent('lesson.upserted', schoolId, { courseId, lessonId });

/** Lessons of a course (by its managers) and their completion (by enrolled students). */
export class LessonService {
  async add(ctx: CoursesContext, courseId: string, input: AddLessonInput): Promise<Lesson> {
    const viewer = viewerOf(ctx);
    const course = await coursePolicy.editable(ctx, viewer, courseId);
    const title = text(input.title, 'title', 200);
    const content = optionalText(input.content, 'content', MAX_LESSON_TEXT) ?? undefined;
    if (input.kind === LessonKind.TEXT && !content) throw badInput('A TEXT lesson needs its content', 'content');
    return ctx.em.transactional(async (tx) => {
      const last = await tx.findOne(Lesson, { course: course.id }, { orderBy: { position: 'desc' } });
      const lesson = tx.create(Lesson, {
        schoolId: viewer.schoolId,
        course: tx.getReference(Course, course.id),
        title,
        kind: input.kind,
        durationSeconds: input.durationSeconds ?? undefined,
        content,
        position: (last?.position ?? 0) + 1,
      });
      recordEvent(tx, lessonUpserted(viewer.schoolId, course.id, lesson.id));
      // Progress is completed/total, so one more lesson makes every finished enrollment unfinished.
      await tx.nativeUpdate(
        Enrollment,
        { course: course.id, status: EnrollmentStatus.COMPLETED },
        { status: EnrollmentStatus.ACTIVE, completedAt: null },
      );
      return lesson;
    });
  }

  async update(ctx: CoursesContext, id: string, input: UpdateLessonInput): Promise<Lesson> {
    const viewer = viewerOf(ctx);
    const lesson = await this.managedLesson(ctx, viewer, id);
    if (input.title === null) throw badInput('title cannot be cleared', 'title');
    if (input.kind === null) throw badInput('kind cannot be cleared', 'kind');
    const kind = input.kind ?? lesson.kind;
    if (kind !== lesson.kind && lesson.fileKey) throw conflict('A lesson with an attached file keeps its kind; add a new lesson instead');
    const content = input.content === undefined ? lesson.content : (optionalText(input.content, 'content', MAX_LESSON_TEXT) ?? undefined);
    if (kind === LessonKind.TEXT && !content) throw badInput('A TEXT lesson needs its content', 'content');
    if (input.title !== undefined) lesson.title = text(input.title, 'title', 200);
    if (input.durationSeconds !== undefined) lesson.durationSeconds = input.durationSeconds ?? undefined;
    lesson.kind = kind;
    lesson.content = content;
    // Written by the same flush (one transaction) as the change.
    recordEvent(ctx.em, lessonUpserted(viewer.schoolId, lesson.course.id, lesson.id));
    await ctx.em.flush();
    return lesson;
  }

  /** Puts the course's lessons in the given order; `lessonIds` must list each of them exactly once. */
  async reorder(ctx: CoursesContext, courseId: string, lessonIds: string[]): Promise<Lesson[]> {
    const viewer = viewerOf(ctx);
    const course = await coursePolicy.editable(ctx, viewer, courseId);
    return ctx.em.transactional(async (tx) => {
      const lessons = await tx.find(Lesson, { course: course.id });
      const byId = new Map(lessons.map((l) => [l.id, l]));
      if (lessonIds.length !== lessons.length || new Set(lessonIds).size !== lessonIds.length || !lessonIds.every((id) => byId.has(id))) {
        throw badInput(`lessonIds must list each of the course's ${lessons.length} lessons exactly once`, 'lessonIds');
      }
      lessonIds.forEach((id, i) => {
        const lesson = byId.get(id)!;
        if (lesson.position === i + 1) return;
        lesson.position = i + 1;
        recordEvent(tx, lessonUpserted(viewer.schoolId, course.id, id));
      });
      return lessonIds.map((id) => byId.get(id)!);
    });
  }

  /**
   * Soft delete: the lesson leaves every view and the course's progress (completed over all
   * lessons counts neither its completions nor itself), the lessons after it move up one, and
   * an ACTIVE enrollment that had completed every other lesson becomes COMPLETED. Its completions
   * stay stored as history (Enrollment.lessonCompletions(includeDeleted)). NOT_FOUND when already deleted.
   */
  async delete(ctx: CoursesContext, id: string): Promise<boolean> {
    const viewer = viewerOf(ctx);
    const lesson = await this.managedLesson(ctx, viewer, id);
    const courseId = lesson.course.id;
    const deletedAt = new Date();
    await ctx.em.transactional(async (tx) => {
      if ((await tx.nativeUpdate(Lesson, { id, deletedAt: null }, { deletedAt, deletedBy: viewer.id })) !== 1) throw notFound('Lesson');
      const rest = await tx.find(Lesson, { course: courseId }, { orderBy: { position: 'asc', createdAt: 'asc' } });
      rest.forEach((l, i) => (l.position = i + 1));
      const active = rest.length ? await tx.find(Enrollment, { course: courseId, status: EnrollmentStatus.ACTIVE }) : [];
      if (active.length) {
        // The completions of the lessons left (the deleted lesson's are behind the soft-delete filter now).
        const completions = await tx.find(LessonCompletion, { enrollment: { $in: active.map((e) => e.id) } });
        const done = new Map<string, number>();
        for (const c of completions) done.set(c.enrollment.id, (done.get(c.enrollment.id) ?? 0) + 1);
        for (const enrollment of active.filter((e) => (done.get(e.id) ?? 0) >= rest.length)) {
          enrollment.status = EnrollmentStatus.COMPLETED;
          enrollment.completedAt = deletedAt;
        }
      }
      recordEvent(
        tx,
        domainEvent('lesson.deleted', viewer.schoolId, {
          courseId,
          lessonId: id,
          deletedBy: viewer.id,
          deletedAt: deletedAt.toISOString(),
        }),
      );
    });
    ctx.loaders.lesson.clear(id);
    ctx.loaders.lessonsByCourse.clear(courseId);
    return true;
  }

  /**
   * Marks the lesson done for the calling student; doing it again changes nothing (and records
   * no second event). The enrollment becomes COMPLETED with its last lesson.
   */
  async complete(ctx: CoursesContext, lessonId: string): Promise<Enrollment> {
    const viewer = viewerOf(ctx);
    requireStudent(viewer);
    const lesson = await ctx.loaders.lesson.load(lessonId);
    const course = await coursePolicy.viewableCourseOf(ctx, viewer, lesson);
    if (!lesson || !course) throw notFound('Lesson');
    const enrollment = await coursePolicy.activeEnrollment(ctx, course.id, viewer.id);
    if (!enrollment || course.status === CourseStatus.DRAFT)
      throw forbidden('Only students enrolled in the course can complete its lessons');
    if (course.status === CourseStatus.ARCHIVED) throw conflict('The course is archived');
    try {
      return await ctx.em.transactional(async (tx) => {
        const own = await tx.findOneOrFail(Enrollment, enrollment.id);
        if (await tx.count(LessonCompletion, { enrollment: own.id, lesson: lesson.id })) return own;
        const completedAt = new Date();
        tx.create(LessonCompletion, {
          schoolId: viewer.schoolId,
          enrollment: own,
          lesson: tx.getReference(Lesson, lesson.id),
          completedAt,
        });
        await tx.flush();
        const completed = await tx.count(LessonCompletion, { enrollment: own.id });
        const total = await tx.count(Lesson, { course: course.id });
        if (completed >= total && own.status === EnrollmentStatus.ACTIVE) {
          own.status = EnrollmentStatus.COMPLETED;
          own.completedAt = completedAt;
        }
        recordEvent(
          tx,
          domainEvent('lesson.completed', viewer.schoolId, {
            lessonId: lesson.id,
            courseId: course.id,
            studentId: viewer.id,
            enrollmentId: own.id,
            progress: total ? completed / total : 0,
            completedAt: completedAt.toISOString(),
          }),
        );
        return own;
      });
    } catch (err) {
      // The same lesson completed twice at once: the other request won, which is the same outcome.
      if (err instanceof UniqueConstraintViolationException) return ctx.em.fork().findOneOrFail(Enrollment, enrollment.id);
      throw err;
    }
  }

  async managedLesson(ctx: CoursesContext, viewer: Viewer, id: string): Promise<Lesson> {
    const lesson = await ctx.loaders.lesson.load(id);
    if (!lesson) throw notFound('Lesson');
    await coursePolicy.editable(ctx, viewer, lesson.course.id);
    return lesson;
  }
}
