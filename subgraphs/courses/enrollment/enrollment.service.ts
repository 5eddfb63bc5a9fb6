import type { EntityManager } from '@mikro-orm/core';
import { domainEvent } from '../../../platform/events/domain-events';
import { conflict, notFound } from '../../../platform/errors';
import { recordEvent } from '../../../platform/outbox/outbox';
import type { CoursesContext } from '../context';
import { Course, CourseStatus } from '../course/course.entity';
import { coursePolicy } from '../course/course.policy';
import { LessonCompletion } from '../lesson/lesson-completion.entity';
import { Lesson } from '../lesson/lesson.entity';
import { viewerOf } from '../../../platform/auth/viewer';
import { Enrollment, EnrollmentSource, EnrollmentStatus } from './enrollment.entity';

export interface EnrollRequest {
  courseId: string;
  studentId: string;
  source: EnrollmentSource;
  /** The staff member's id, or the billing subscription id. */
  sourceRef?: string;
}

/**
 * Enrolls inside the caller's transaction `tx` (tenant-scoped): a new enrollment, or a dropped one
 * made ACTIVE again; `enrollment.created` is recorded with it. Returns null when the student is
 * already enrolled (ACTIVE or COMPLETED). Shared by the `enroll` mutation and the billing consumer.
 */
export async function enrollIn(tx: EntityManager, schoolId: string, req: EnrollRequest): Promise<Enrollment | null> {
  const existing = await tx.findOne(Enrollment, { course: req.courseId, studentId: req.studentId });
  if (existing && existing.status !== EnrollmentStatus.DROPPED) return null;
  const enrollment =
    existing ??
    tx.create(Enrollment, {
      schoolId,
      course: tx.getReference(Course, req.courseId),
      studentId: req.studentId,
      source: req.source,
      sourceRef: req.sourceRef,
    });
  Object.assign(enrollment, { status: EnrollmentStatus.ACTIVE, completedAt: undefined, source: req.source, sourceRef: req.sourceRef });
  if (existing) {
    // Completions survive a drop: a student who had finished everything is COMPLETED again at once.
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

export class EnrollmentService {
  /** By a school admin or the course's teacher. CONFLICT when already enrolled; archived courses take nobody. */
  async enroll(ctx: CoursesContext, courseId: string, studentId: string): Promise<Enrollment> {
    const viewer = viewerOf(ctx);
    const course = await coursePolicy.manageable(ctx, viewer, courseId);
    if (course.status === CourseStatus.ARCHIVED) throw conflict('An archived course takes no new students');
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
      enrollment.status = EnrollmentStatus.DROPPED;
      await ctx.em.flush();
    }
    return enrollment;
  }
}
