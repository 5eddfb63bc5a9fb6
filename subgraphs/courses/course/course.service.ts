import { domainEvent } from '../../../platform/events/domain-events';
import { badInput, conflict, forbidden, notFound } from '../../../platform/errors';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { CoursesContext } from '../context';
import { optionalText, text } from '../../../platform/graphql/validation';
import { Roles } from '../../../platform/auth/roles';
import { viewerOf } from '../../../platform/auth/viewer';
import { requirePerson } from '../person/person.rules';
import { Course, CourseStatus } from './course.entity';
import type { CreateCourseInput, UpdateCourseInput } from './course.input';
import { courseUpserted } from './course.events';
import { coursePolicy } from './course.policy';

/** Creating, editing and deleting courses, and moving them through DRAFT → PUBLISHED → ARCHIVED. */
export class CourseService {
  async create(ctx: CoursesContext, input: CreateCourseInput): Promise<Course> {
    const viewer = viewerOf(ctx);
    if (!viewer.isAdmin && !viewer.isTeacher) throw forbidden('Only teachers and school admins can create courses');
    if (input.teacherId && input.teacherId !== viewer.id && !viewer.isAdmin)
      throw forbidden('Only school admins can create a course for another teacher');
    // A teacher named by id must be one; the caller by default is one by the signed context's roles (or an admin).
    if (input.teacherId) await requirePerson(ctx, input.teacherId, 'teacherId', Roles.TEACHER);
    const course = ctx.em.create(Course, {
      schoolId: viewer.schoolId,
      title: text(input.title, 'title', 200),
      description: optionalText(input.description, 'description', 10_000) ?? undefined,
      subject: optionalText(input.subject, 'subject', 100) ?? undefined,
      gradeLevel: optionalText(input.gradeLevel, 'gradeLevel', 50) ?? undefined,
      teacherId: input.teacherId ?? viewer.id,
    });
    // Written by the same flush (one transaction) as the course.
    recordEvent(ctx.em, courseUpserted(course));
    await ctx.em.flush();
    return course;
  }

  async update(ctx: CoursesContext, id: string, input: UpdateCourseInput): Promise<Course> {
    const viewer = viewerOf(ctx);
    const course = await coursePolicy.editable(ctx, viewer, id);
    if (input.teacherId !== undefined && input.teacherId !== course.teacherId && !viewer.isAdmin) {
      throw forbidden('Only school admins can hand a course to another teacher');
    }
    if (input.teacherId && input.teacherId !== course.teacherId) await requirePerson(ctx, input.teacherId, 'teacherId', Roles.TEACHER);
    if (input.title === null) throw badInput('title cannot be cleared', 'title');
    const before = { title: course.title, teacherId: course.teacherId };
    if (input.title !== undefined) course.title = text(input.title, 'title', 200);
    const set = (field: 'description' | 'subject' | 'gradeLevel', max: number) => {
      const value = optionalText(input[field], field, max);
      if (value !== undefined) course[field] = value ?? undefined;
    };
    set('description', 10_000);
    set('subject', 100);
    set('gradeLevel', 50);
    if (input.teacherId) course.teacherId = input.teacherId;
    // Other subgraphs keep the title and the teacher only: a new description tells them nothing.
    if (course.title !== before.title || course.teacherId !== before.teacherId) recordEvent(ctx.em, courseUpserted(course));
    await ctx.em.flush();
    return course;
  }

  /** DRAFT or ARCHIVED → PUBLISHED; publishing a published course changes nothing. */
  async publish(ctx: CoursesContext, id: string): Promise<Course> {
    const course = await this.managed(ctx, id);
    if (course.status !== CourseStatus.PUBLISHED) {
      course.status = CourseStatus.PUBLISHED;
      course.publishedAt ??= new Date();
      recordEvent(ctx.em, courseUpserted(course));
      await ctx.em.flush();
    }
    return course;
  }

  /** → ARCHIVED: read-only; enrolled students keep seeing it and their history. */
  async archive(ctx: CoursesContext, id: string): Promise<Course> {
    const course = await this.managed(ctx, id);
    if (course.status !== CourseStatus.ARCHIVED) {
      course.status = CourseStatus.ARCHIVED;
      recordEvent(ctx.em, courseUpserted(course));
      await ctx.em.flush();
    }
    return course;
  }

  /**
   * Soft delete, in any status: the course leaves every view (lists, `course(id)`, the catalog,
   * references from other subgraphs) and everything in it goes with it (its lessons, quizzes,
   * enrollments and live sessions are hidden through their course, see soft-delete.ts), while
   * every row stays stored. `course.deleted` tells other services (plans, reminders) to let go of
   * it. NOT_FOUND when already deleted.
   */
  async delete(ctx: CoursesContext, id: string): Promise<boolean> {
    const viewer = viewerOf(ctx);
    const course = await this.managed(ctx, id);
    // A class in progress would be left with no course to end it in. Read through the live-session
    // feature's loader (course/ imports none of its children); status compared as the stored text.
    const sessions = await ctx.loaders.liveSessionsByCourse.load(course.id);
    if (sessions.some((s) => String(s.status) === 'LIVE')) throw conflict('End the live session before deleting its course');
    const deletedAt = new Date();
    await ctx.em.transactional(async (tx) => {
      if ((await tx.nativeUpdate(Course, { id: course.id, deletedAt: null }, { deletedAt, deletedBy: viewer.id })) !== 1) {
        throw notFound('Course');
      }
      recordEvent(
        tx,
        domainEvent('course.deleted', viewer.schoolId, { courseId: course.id, deletedBy: viewer.id, deletedAt: deletedAt.toISOString() }),
      );
    });
    ctx.loaders.course.clear(course.id);
    return true;
  }

  private managed(ctx: CoursesContext, id: string): Promise<Course> {
    return coursePolicy.manageable(ctx, viewerOf(ctx), id);
  }
}
