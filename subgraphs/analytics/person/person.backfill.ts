import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from '../../../platform/logger';
import { peopleBackfill, planBackfills, type PlannedBackfills } from '../../../platform/people/backfill';

/**
 * People who existed before this service's queue did come from a backfill: when the read model is
 * empty at start, analytics records `people.backfill.requested`, and users answers with
 * `user.upserted` for everyone (state events: answering twice is harmless). Decided here, during
 * `wire`; asked in `request()` from `afterStart` (platform/people/backfill.ts says why both).
 */
export function planPeopleBackfill(orm: MikroORM, logger: Logger): Promise<PlannedBackfills> {
  return planBackfills({ orm, logger, backfills: [peopleBackfill('analytics')] });
}
