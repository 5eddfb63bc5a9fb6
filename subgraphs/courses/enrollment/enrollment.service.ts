import type { EntityManager } from '@mikro-orm/core';
import { Roles } from '../../../platform/auth/roles';
import { viewerOf } from '../../../platform/auth/viewer';
import { domainEvent, type EnrollmentDropped, type EnrollmentRemoved } from '../../../platform/events/domain-events';
import { conflict, notFound } from '../../../platform/errors';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { CoursesContext } from '../context';
import { Course, CourseStatus } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { LessonCompletion } from '../lesson/lesson-completion.entity';
import { Lesson } from '../lesson/lesson.entity';
import { requirePerson } from '../person/person.rules';
import { Enrollment, EnrollmentSource, EnrollmentStatus, REMOVED_FILTER } from './enrollment.entity';

export interface EnrollRequest {
  courseId: string;
  studentId: string;
  source: EnrollmentSource;
  /** The staff member's id, or the billing subscription id. */
  sourceRef?: string;
}

/**
 * Enrolls inside the caller's transaction `tx` (tenant-scoped): a new enrollment, or a dropped or
 * removed one made ACTIVE again (with the history it kept); `enrollment.created` is recorded with
 * it. Returns null when the student is already enrolled (ACTIVE or COMPLETED). Shared by the
 * `enroll` mutation and the billing consumer; the caller has checked that the student is one.
 */
export async function enrollIn(tx: EntityManager, schoolId: string, req: EnrollRequest): Promise<Enrollment | null> {
  // Removed rows too: the (course, student) pair is unique, so a removed enrollment is restored, not made anew.
  const existing = await tx.findOne(
    Enrollment,
    { course: req.courseId, studentId: req.studentId },
    { filters: { [REMOVED_FILTER]: false } },
  );
  if (existing && !existing.removedAt && existing.status !== EnrollmentStatus.DROPPED) return null;
  const enrollment =
    existing ??
    tx.create(Enrollment, {
      schoolId,
      course: tx.getReference(Course, req.courseId),
      studentId: req.studentId,
      source: req.source,
      sourceRef: req.sourceRef,
    });
  Object.assign(enrollment, {
    status: EnrollmentStatus.ACTIVE,
    completedAt: undefined,
    removedAt: null,
    removedBy: null,
    source: req.source,
    sourceRef: req.sourceRef,
  });
  if (existing) {
    // Completions survive a drop and a removal: a student who had finished everything is COMPLETED again at once.
    const done = await tx.count(LessonCompletion, { enrollment: existing.id });
    const total = await tx.count(Lesson, { course: req.courseId });
    if (total && done >= total) Object.assign(enrollment, { status: EnrollmentStatus.COMPLETED, completedAt: new Date() });
  }
  const enrolledAt = existing ? new Date() : enrollment.createdAt;
  recordEvent(
    tx,
    domainEvent('enrollment.created', schoolId, {
      enrollmentId: enrollment.id,
      courseId: req.courseId,
      studentId: req.studentId,
      enrolledAt: enrolledAt.toISOString(),
    }),
  );
  return enrollment;
}

/**
 * Removes enrollments (soft delete, see REMOVED_FILTER) inside `tx`, each once, recording
 * `enrollment.removed` for each; returns how many it removed (one removed meanwhile is skipped).
 * `by`: the staff member, or the reason for a removal nobody asked for.
 */
export async function removeEnrollments(
  tx: EntityManager,
  schoolId: string,
  rows: Pick<Enrollment, 'id' | 'course' | 'studentId'>[],
  by: string,
  reason: EnrollmentRemoved['reason'],
): Promise<number> {
  const removedAt = new Date();
  let removed = 0;
  for (const row of rows) {
    // Claimed by the update itself: of two removals at once only one changes the row and records the event.
    if ((await tx.nativeUpdate(Enrollment, { id: row.id, removedAt: null }, { removedAt, removedBy: by })) !== 1) continue;
    recordEvent(
      tx,
      domainEvent('enrollment.removed', schoolId, {
        enrollmentId: row.id,
        courseId: row.course.id,
        studentId: row.studentId,
        reason,
        removedAt: removedAt.toISOString(),
      }),
    );
    removed += 1;
  }
  return removed;
}

/**
 * Drops an enrollment inside `tx` (the student leaves the course; history kept), recording
 * `enrollment.dropped` with it. Claimed by the update itself, like a removal: of two drops at once
 * (staff, and a subscription expiring) only one changes the row and records the event. Returns
 * false when it was already dropped (or removed meanwhile).
 */
export async function dropEnrollment(
  tx: EntityManager,
  schoolId: string,
  row: Pick<Enrollment, 'id' | 'course' | 'studentId'>,
  reason: EnrollmentDropped['reason'],
): Promise<boolean> {
  const droppedAt = new Date();
  const changed = await tx.nativeUpdate(
    Enrollment,
    { id: row.id, status: { $ne: EnrollmentStatus.DROPPED } },
    { status: EnrollmentStatus.DROPPED, updatedAt: droppedAt },
  );
  if (changed !== 1) return false;
  recordEvent(
    tx,
    domainEvent('enrollment.dropped', schoolId, {
      enrollmentId: row.id,
      courseId: row.course.id,
      studentId: row.studentId,
      reason,
      droppedAt: droppedAt.toISOString(),
    }),
  );
  return true;
}

export class EnrollmentService {
  /**
   * By a school admin or the course's teacher, for an active student of the school (BAD_USER_INPUT
   * on `studentId` otherwise). CONFLICT when already enrolled; archived courses take nobody.
   */
  async enroll(ctx: CoursesContext, courseId: string, studentId: string): Promise<Enrollment> {
    const viewer = viewerOf(ctx);
    const course = await coursePolicy.manageable(ctx, viewer, courseId);
    if (course.status === CourseStatus.ARCHIVED) throw conflict('An archived course takes no new students');
    // A course sold through billing plans is joined by paying (billing's plan.subscription.activated), not given away.
    if ((await ctx.loaders.planIdsByCourse.load(courseId)).length)
      throw conflict('This course is sold through plans: students join it by subscribing');
    await requirePerson(ctx, studentId, 'studentId', Roles.STUDENT);
    return ctx.em.transactional(async (tx) => {
      const enrollment = await enrollIn(tx, viewer.schoolId, { courseId, studentId, source: EnrollmentSource.STAFF, sourceRef: viewer.id });
      if (!enrollment) throw conflict('The student is already enrolled in this course');
      return enrollment;
    });
  }

  /** By a school admin or the course's teacher: the student leaves the course; history is kept. */
  async drop(ctx: CoursesContext, enrollmentId: string): Promise<Enrollment> {
    const viewer = viewerOf(ctx);
    const enrollment = await ctx.loaders.enrollment.load(enrollmentId);
    if (!enrollment) throw notFound('Enrollment');
    await coursePolicy.manageable(ctx, viewer, enrollment.course.id);
    if (enrollment.status !== EnrollmentStatus.DROPPED) {
      await ctx.em.transactional((tx) => dropEnrollment(tx, viewer.schoolId, enrollment, 'STAFF'));
      // The row was changed by the update above; the loaded object answers the mutation.
      enrollment.status = EnrollmentStatus.DROPPED;
    }
    return enrollment;
  }

  /**
   * By a school admin or the course's teacher: the enrollment should not exist (made by mistake),
   * unlike a drop, which records that the student left. A soft delete: it disappears from every
   * view, count and access, and its progress, attempts and attendance stay stored, so that
   * enrolling the student again brings them back. NOT_FOUND when already removed.
   */
  async remove(ctx: CoursesContext, enrollmentId: string): Promise<boolean> {
    const viewer = viewerOf(ctx);
    const enrollment = await ctx.loaders.enrollment.load(enrollmentId);
    if (!enrollment) throw notFound('Enrollment');
    await coursePolicy.manageable(ctx, viewer, enrollment.course.id);
    const removed = await ctx.em.transactional((tx) => removeEnrollments(tx, viewer.schoolId, [enrollment], viewer.id, 'STAFF'));
    if (!removed) throw notFound('Enrollment');
    return true;
  }
}
