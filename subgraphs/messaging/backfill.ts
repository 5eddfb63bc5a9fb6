import type { MikroORM } from '@mikro-orm/core';
import { domainEvent, EVERY_SCHOOL } from '../../platform/events/domain-events';
import type { Logger } from '../../platform/logger';
import { peopleBackfill, planBackfills as plan, type BackfillMode, type PlannedBackfills } from '../../platform/people/backfill';
import { Contact } from './contact/contact.entity';
import { CourseInfo } from './course/course-info.entity';

export type { BackfillMode };

export interface BackfillOptions {
  orm: MikroORM;
  logger: Logger;
  /** Default `auto`. */
  mode?: BackfillMode;
  /**
   * While a read model stays empty after its request, ask again after each of these delays: on a
   * first deployment users or courses may not have bound its queue yet when the request goes out,
   * and a broker drops a message no queue takes. Default [30 s, 2 min, 10 min].
   */
  retryDelaysMs?: number[];
}

/**
 * The read models of people and courses are filled by events from their creation on; what existed
 * before comes from a backfill: messaging records `people.backfill.requested` (users answers with
 * `user.upserted` for every person and `guardian.linked` for every link) when it knows no contact,
 * and `courses.backfill.requested` (courses answers with `course.upserted` and `enrollment.created`
 * with `backfill: true`) when it knows no course. Decided here, during `wire`; asked in
 * `request()` from `afterStart` (platform/people/backfill.ts says why both).
 */
export function planBackfills({
  orm,
  logger,
  mode,
  retryDelaysMs = [30_000, 120_000, 600_000],
}: BackfillOptions): Promise<PlannedBackfills> {
  return plan({
    orm,
    logger,
    mode,
    retryDelaysMs,
    backfills: [
      peopleBackfill('messaging', Contact),
      {
        model: CourseInfo,
        request: () => domainEvent('courses.backfill.requested', EVERY_SCHOOL, { requestedBy: 'messaging' }),
        what: 'asked courses for every course and enrollment (courses backfill)',
      },
    ],
  });
}
