import type { EntityManager } from '@mikro-orm/core';
import { writeLock } from '../../../platform/db/locks';
import { CourseStats } from './course-stats.entity';

/**
 * Takes the course's aggregate row for this transaction (made if missing), before it reads any
 * fact. Two events of one course handled at once would otherwise each recompute the aggregate
 * from a snapshot without the other's fact, and the later commit would store a figure missing
 * one. Taken first, the lock makes the second wait, and its reads, which start after the wait,
 * see the first one's facts. (SQLite runs one transaction at a time anyway.) Two first events of
 * one course may both find no row: one insert fails on the key or deadlocks, and its retry finds it.
 */
export async function lockCourse(tx: EntityManager, schoolId: string, courseId: string): Promise<void> {
  const row = await tx.findOne(CourseStats, { id: courseId }, writeLock(tx));
  // An instance, so its initial figures (zeros) are inserted too.
  if (!row) await tx.insert(CourseStats, Object.assign(new CourseStats(), { id: courseId, schoolId }));
}

type Row = Record<string, number | string | null>;

/** Runs an aggregate query (the tenant is in its parameters: raw SQL gets no filter) and returns its one row. */
async function one(tx: EntityManager, sql: string, params: unknown[]): Promise<Row> {
  const rows = (await tx.getConnection().execute(sql, params as never[], 'all', tx.getTransactionContext())) as Row[];
  return rows[0] ?? {};
}
const num = (v: unknown) => Number(v ?? 0);

/**
 * Recomputes a course's stored aggregate from its facts, in the transaction that changed them:
 * whatever order the facts came in, the aggregate is a function of the facts alone. Every figure
 * is over the students whose enrollment in the course is ACTIVE now.
 */
export async function recomputeCourseStats(tx: EntityManager, schoolId: string, courseId: string): Promise<CourseStats> {
  // The aggregate queries are SQL: the facts changed in this transaction must be written first.
  await tx.flush();
  const active = `e.school_id = ? and e.course_id = ? and e.state = 'ACTIVE'`;
  const enrollments = await one(
    tx,
    `select count(*) as n, sum(e.progress) as progress, sum(case when e.progress >= 1 then 1 else 0 end) as done
       from enrollment_fact e where ${active}`,
    [schoolId, courseId],
  );
  // Each student's best attempt per quiz (as a share of its maximum), like a gradebook's "best grade".
  const quizzes = await one(
    tx,
    `select count(*) as n, sum(best) as total from (
       select max(q.score / q.max_score) as best
         from quiz_attempt_fact q
         join enrollment_fact e on e.school_id = q.school_id and e.course_id = q.course_id and e.student_id = q.student_id
        where ${active} and q.max_score > 0
        group by q.quiz_id, q.student_id) best_attempts`,
    [schoolId, courseId],
  );
  const attendance = await one(
    tx,
    `select count(*) as n, sum(case when a.status in ('PRESENT', 'LATE') then 1 else 0 end) as attended
       from attendance_fact a
       join enrollment_fact e on e.school_id = a.school_id and e.course_id = a.course_id and e.student_id = a.student_id
      where ${active} and a.status <> 'EXCUSED'`,
    [schoolId, courseId],
  );
  const figures = {
    enrolled: num(enrollments.n),
    progressSum: num(enrollments.progress),
    completed: num(enrollments.done),
    quizzesTaken: num(quizzes.n),
    quizScoreSum: num(quizzes.total),
    attendanceMarks: num(attendance.n),
    attended: num(attendance.attended),
    computedAt: new Date(),
  };
  const row = await tx.findOne(CourseStats, { id: courseId });
  if (row) return Object.assign(row, figures);
  return tx.create(CourseStats, { id: courseId, schoolId, ...figures });
}
