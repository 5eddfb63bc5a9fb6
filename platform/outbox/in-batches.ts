import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { scopeToTenant } from '../db/tenant';

/** Rows per transaction (and per outbox batch, roughly) of a backfill: bounds memory and lock time on a big school. */
export const BACKFILL_BATCH = 500;

/**
 * Records events for every row of one school, a page per transaction in id order (keyset paging:
 * `page` returns up to BACKFILL_BATCH rows with an id after `after`, '' at first), `record`
 * writing each row's events in that page's transaction. Returns how many rows there were. How a
 * backfill answers (users' people, courses' courses and enrollments).
 */
export async function recordForEachRow<T extends { id: string }>(
  orm: MikroORM,
  schoolId: string,
  page: (tx: EntityManager, after: string) => Promise<T[]>,
  record: (tx: EntityManager, row: T) => void,
): Promise<number> {
  let rows = 0;
  for (let after = ''; ;) {
    const found = await scopeToTenant(orm.em.fork(), schoolId).transactional(async (tx) => {
      const batch = await page(tx, after);
      for (const row of batch) record(tx, row);
      return batch;
    });
    if (!found.length) return rows;
    rows += found.length;
    after = found[found.length - 1].id;
  }
}
