import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from '../../../platform/logger';
import { peopleBackfill, planBackfills, type BackfillMode, type PlannedBackfills } from '../../../platform/people/backfill';

export interface PeopleBackfillOptions {
  orm: MikroORM;
  logger: Logger;
  /** Default `auto`: ask when the read model is empty at start; `always` on every start (PEOPLE_BACKFILL). */
  mode?: BackfillMode;
  /**
   * While the read model stays empty after a request, ask again after each of these delays: on a
   * first deployment users may not have bound its queue yet when the request goes out, and a
   * broker drops a message no queue takes. Default [30 s, 2 min, 10 min].
   */
  retryDelaysMs?: number[];
}

/**
 * The read model of people is filled by events from its creation on; the people that existed
 * before (an existing deployment, a fresh database, the demo seed whose events went out before
 * this service's queue existed) come from a backfill: courses records `people.backfill.requested`
 * in its outbox, users answers with `user.upserted` for every person of every school and
 * `guardian.linked` for every link, then `people.backfill.completed` per school (which the
 * enrollment feature uses to clean up rows that name nobody; see enrollment/dangling.consumer.ts).
 *
 * Decided here, during `wire`, before the consumers are bound; asked in `request()` from
 * `afterStart`, once they are (platform/people/backfill.ts says why both).
 */
export function planPeopleBackfill({
  orm,
  logger,
  mode,
  retryDelaysMs = [30_000, 120_000, 600_000],
}: PeopleBackfillOptions): Promise<PlannedBackfills> {
  return planBackfills({ orm, logger, mode, retryDelaysMs, backfills: [peopleBackfill('courses')] });
}
