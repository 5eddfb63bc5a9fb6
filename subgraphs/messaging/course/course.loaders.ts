import type { EntityManager } from '@mikro-orm/core';
import { byId, idsBy } from '../../../platform/graphql/loaders';
import type { LoaderContext } from '../../../platform/subgraph/feature';
import { CourseEnrollment } from './course-enrollment.entity';
import { CourseInfo } from './course-info.entity';

/**
 * The course feature's per-request loaders (one or two `IN (…)` queries per tick each, through the
 * request's tenant-scoped EntityManager). A deleted course has no students and is nobody's course:
 * only `courseInfo` still answers it (with `deletedAt`), so a caller can tell why.
 */
export function courseLoaders({ em }: LoaderContext) {
  return {
    /** A course of the request's school (title, teacher, status, deletedAt), by course id; null when unknown. */
    courseInfo: byId((ids) => em.find(CourseInfo, { id: { $in: ids } })),
    /** Students actively enrolled, by course id. */
    activeStudentIds: idsBy(
      async (ids) => withoutDeletedCourses(em, await em.find(CourseEnrollment, { courseId: { $in: ids }, active: true })),
      (e) => e.courseId,
      (e) => e.studentId,
    ),
    /** Courses a student is actively enrolled in, by student id. */
    activeCourseIdsOfStudent: idsBy(
      async (ids) => withoutDeletedCourses(em, await em.find(CourseEnrollment, { studentId: { $in: ids }, active: true })),
      (e) => e.studentId,
      (e) => e.courseId,
    ),
    /** Courses a teacher teaches (not deleted), by teacher id. */
    taughtCourseIds: idsBy(
      (ids) => em.find(CourseInfo, { teacherId: { $in: ids }, deletedAt: null }),
      (c) => c.teacherId,
      (c) => c.id,
    ),
  };
}

/**
 * The enrollments whose course is not known to be deleted (a course not known yet counts: its
 * `course.upserted` may still be on its way). One query for the courses' deletions.
 */
async function withoutDeletedCourses(em: EntityManager, enrollments: CourseEnrollment[]): Promise<CourseEnrollment[]> {
  if (!enrollments.length) return enrollments;
  const courseIds = [...new Set(enrollments.map((e) => e.courseId))];
  const deleted = await em.find(CourseInfo, { id: { $in: courseIds }, deletedAt: { $ne: null } });
  const gone = new Set(deleted.map((c) => c.id));
  return enrollments.filter((e) => !gone.has(e.courseId));
}

declare module '../context' {
  // The feature's loaders join the subgraph's request context (see context.ts).
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface can merge; a type alias cannot
  interface MessagingLoaders extends ReturnType<typeof courseLoaders> {}
}
