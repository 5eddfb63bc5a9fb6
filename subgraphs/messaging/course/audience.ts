import type { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/mysql';
import { plainRows } from '../../../platform/db/plain-rows';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import { CourseEnrollment } from './course-enrollment.entity';
import { CourseInfo } from './course-info.entity';

/** Who a message about a course reaches: its students and, per student, the parents who follow them. */
export interface CourseAudience {
  /** Null when messaging does not know the course (yet); a deleted course has `deletedAt` set and no audience. */
  course: CourseInfo | null;
  /** Students actively enrolled (each once). */
  studentIds: string[];
  /** Guardian ids per student id; students without a guardian are left out. */
  guardianIdsByStudent: Map<string, string[]>;
}

/**
 * The audience of a course (announcements, live-session reminders), outside a request: `em` must
 * be scoped to the course's school (`ctx.em`, or `scopeToTenant(orm.em.fork(), schoolId)` in a
 * consumer). Three queries whatever the size of the course (10,000 students are 10,000 rows, not
 * 10,000 queries): the course, its active students, and their guardian links through a sub-query,
 * so that no list of ids is sent back to the database.
 */
export async function courseAudience(em: EntityManager, courseId: string): Promise<CourseAudience> {
  const course = await em.findOne(CourseInfo, { id: courseId });
  const none: CourseAudience = { course, studentIds: [], guardianIdsByStudent: new Map() };
  if (!course || course.deletedAt) return none;
  const schoolId = course.schoolId;
  const sql = em as SqlEntityManager;

  const students = await plainRows(em, CourseEnrollment, ['studentId'], { schoolId, courseId, active: true });
  const studentIds = [...new Set(students.map((r) => r.studentId))];
  if (!studentIds.length) return none;

  // The tenant filter does not reach into a sub-query: the school (the course's, found through the
  // tenant-scoped `em`) is explicit there.
  const enrolled = sql
    .createQueryBuilder(CourseEnrollment, 'e')
    .select('e.studentId')
    .where({ schoolId, courseId, active: true })
    .getKnexQuery();
  const links = sql
    .createQueryBuilder(GuardianLink, 'g')
    .select(['g.guardianId', 'g.studentId'])
    .where({
      schoolId,
      // The SQL drivers take a knex query as an `$in` operand; MikroORM's types only know lists.
      studentId: { $in: enrolled as unknown as string[] },
    });
  await links.applyFilters();
  const guardianIdsByStudent = new Map<string, string[]>();
  for (const { guardianId, studentId } of await links.execute<Array<{ guardianId: string; studentId: string }>>('all', true)) {
    const list = guardianIdsByStudent.get(studentId);
    if (list) list.push(guardianId);
    else guardianIdsByStudent.set(studentId, [guardianId]);
  }
  return { course, studentIds, guardianIdsByStudent };
}

/**
 * Everyone a message to a course reaches (announcements, live-session reminders and notices):
 * its students enrolled now and their guardians, each once (a parent of two of its students
 * once), students first. None for a course messaging does not know or that was deleted;
 * deactivated people drop out in `notify` (the contact read model).
 */
export async function courseRecipients(em: EntityManager, courseId: string): Promise<string[]> {
  const { studentIds, guardianIdsByStudent } = await courseAudience(em, courseId);
  return [...new Set([...studentIds, ...[...guardianIdsByStudent.values()].flat()])];
}
