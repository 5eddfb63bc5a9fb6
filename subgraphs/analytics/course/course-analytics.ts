import type { EntityManager } from '@mikro-orm/core';
import type { CourseStats } from './course-stats.entity';
import { CourseAnalytics } from './course-analytics.type';

/** Days a student's last activity counts them as active. */
export const ACTIVE_DAYS = 7;

/** The public figures of a course from its stored aggregate (none yet: zeros) and its active-student count. */
export function courseAnalytics(stats: CourseStats | null | undefined, activeStudents: number): CourseAnalytics {
  const enrolled = stats?.enrolled ?? 0;
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);
  return Object.assign(new CourseAnalytics(), {
    enrolledStudents: enrolled,
    activeStudents7d: activeStudents,
    averageProgress: share(stats?.progressSum ?? 0, enrolled) ?? 0,
    completionRate: share(stats?.completed ?? 0, enrolled) ?? 0,
    averageQuizScore: share(stats?.quizScoreSum ?? 0, stats?.quizzesTaken ?? 0),
    attendanceRate: share(stats?.attended ?? 0, stats?.attendanceMarks ?? 0),
  });
}

/** Platform value of a time for a raw SQL parameter (SQLite keeps times as epoch milliseconds). */
export const sqlTime = (em: EntityManager, time: Date): unknown => em.getPlatform().processDateProperty(time);

/**
 * Students active in the last ACTIVE_DAYS per course (enrolled now), for many courses in one query.
 * Raw SQL: the tenant is in its parameters.
 */
export async function activeStudentsByCourse(em: EntityManager, schoolId: string, courseIds: readonly string[], now = new Date()) {
  const since = new Date(now.getTime() - ACTIVE_DAYS * 86_400_000);
  const rows = (await em.getConnection().execute(
    `select a.course_id as course_id, count(*) as n
       from student_activity a
       join enrollment_fact e on e.school_id = a.school_id and e.course_id = a.course_id and e.student_id = a.student_id
      where a.school_id = ? and e.state = 'ACTIVE' and a.last_active_at >= ? and a.course_id in (${courseIds.map(() => '?').join(', ')})
      group by a.course_id`,
    [schoolId, sqlTime(em, since), ...courseIds] as never[],
  )) as Array<{ course_id: string; n: number | string }>;
  const counts = new Map(rows.map((r) => [r.course_id, Number(r.n)]));
  return courseIds.map((id) => counts.get(id) ?? 0);
}
