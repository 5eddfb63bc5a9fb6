import type { EntityManager } from '@mikro-orm/core';
import { ACTIVE_DAYS, sqlTime } from '../course/course-analytics';
import { money } from '../payment/money';
import { dayBounds } from './day';
import { SchoolAnalytics } from './school-analytics.type';

/** Days "recent" enrollments and revenue look back. */
export const RECENT_DAYS = 30;

type Row = Record<string, number | string | null>;

/**
 * A school's figures, counted from its facts when asked (they depend on the clock). Each is one
 * indexed range query on (school_id, time). Raw SQL: the tenant is in the parameters. Courses
 * deleted in courses are left out.
 */
export async function schoolAnalytics(em: EntityManager, schoolId: string, timeZone: string, now = new Date()): Promise<SchoolAnalytics> {
  const t = (d: Date) => sqlTime(em, d);
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const one = async (sql: string, params: unknown[]) =>
    Number(((await em.getConnection().execute(sql, params as never[])) as Row[])[0]?.n ?? 0);
  const liveCourse = `not exists (select 1 from course_fact c where c.id = e.course_id and c.deleted = 1)`;
  const today = dayBounds(timeZone, now);
  const [active, enrollments, paid, refunded, sessions] = await Promise.all([
    one(
      `select count(distinct a.student_id) as n
         from student_activity a
         join enrollment_fact e on e.school_id = a.school_id and e.course_id = a.course_id and e.student_id = a.student_id
        where a.school_id = ? and a.last_active_at >= ? and e.state = 'ACTIVE' and ${liveCourse}`,
      [schoolId, t(daysAgo(ACTIVE_DAYS))],
    ),
    one(
      `select count(*) as n from enrollment_fact e
        where e.school_id = ? and e.enrolled_at >= ? and e.state in ('ACTIVE', 'DROPPED') and ${liveCourse}`,
      [schoolId, t(daysAgo(RECENT_DAYS))],
    ),
    one(`select coalesce(sum(amount_piasters), 0) as n from payment_fact where school_id = ? and paid_at >= ?`, [
      schoolId,
      t(daysAgo(RECENT_DAYS)),
    ]),
    one(`select coalesce(sum(amount_piasters), 0) as n from refund_fact where school_id = ? and refunded_at >= ?`, [
      schoolId,
      t(daysAgo(RECENT_DAYS)),
    ]),
    one(
      `select count(*) as n from live_session_fact s
        where s.school_id = ? and s.canceled_at is null and coalesce(s.started_at, s.starts_at) >= ? and coalesce(s.started_at, s.starts_at) < ?
          and not exists (select 1 from course_fact c where c.id = s.course_id and c.deleted = 1)`,
      [schoolId, t(today.start), t(today.end)],
    ),
  ]);
  return Object.assign(new SchoolAnalytics(), {
    activeStudents7d: active,
    enrollments30d: enrollments,
    revenue30d: money(paid - refunded),
    liveSessionsToday: sessions,
  });
}
