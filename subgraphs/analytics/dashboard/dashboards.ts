import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { scopeToTenant } from '../../../platform/db/tenant';
import type { Logger } from '../../../platform/logger';
import { activeStudentsByCourse, courseAnalytics } from '../course/course-analytics';
import { CourseStats } from '../course/course-stats.entity';
import type { Touched } from '../ingest/apply-event';
import { schoolAnalytics } from '../school/school-analytics';
import type { SchoolClock } from '../school/school-clock';
import type { DashboardChanges } from './changes';
import type { Coalescer } from './coalescer';
import { dashboardTopics } from './topics';

export interface DashboardsOptions {
  orm: MikroORM;
  clock: SchoolClock;
  coalescer: Coalescer;
  logger: Logger;
  /** A live session's facts changed (scheduled, started, ended…): its watcher's business. Default none. */
  sessionChanged?: (schoolId: string, sessionId: string) => void;
}

/**
 * The live dashboards the consumers tell of each committed change: the school's figures (any
 * change may move them) and the touched course's, each through the coalescer, computed from the
 * database when sent; a touched live session goes to its watcher (live-session/).
 */
export function createDashboards(opts: DashboardsOptions): DashboardChanges {
  const { orm, clock, coalescer, logger } = opts;
  const em = (schoolId: string) => scopeToTenant(orm.em.fork(), schoolId);
  return {
    changed(schoolId: string, touched: Touched) {
      try {
        coalescer.changed(dashboardTopics.school(schoolId), () => schoolAnalytics(em(schoolId), schoolId, clock.forSchool(schoolId)));
        const { courseId, sessionId } = touched;
        if (courseId) coalescer.changed(dashboardTopics.course(schoolId, courseId), () => courseFigures(em(schoolId), schoolId, courseId));
        if (sessionId) opts.sessionChanged?.(schoolId, sessionId);
      } catch (err) {
        logger.warn({ err, schoolId, ...touched }, 'could not update the live dashboards');
      }
    },
  };
}

/** A course's figures now, as `Course.analytics` answers them. */
export async function courseFigures(em: EntityManager, schoolId: string, courseId: string) {
  const [stats, [active]] = await Promise.all([
    em.findOne(CourseStats, { id: courseId }),
    activeStudentsByCourse(em, schoolId, [courseId]),
  ]);
  return courseAnalytics(stats, active);
}
