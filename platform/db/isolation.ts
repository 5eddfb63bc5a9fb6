import { IsolationLevel, type EntityManager } from '@mikro-orm/core';
import { BaseSqlitePlatform } from '@mikro-orm/better-sqlite';

/**
 * Transaction options for writes that update a range and insert beside it (replace the pending
 * invitation of an address, then add one): MySQL's default REPEATABLE READ takes gap locks for
 * the range, and two such transactions at once deadlock on each other's inserts. READ COMMITTED
 * locks only the rows it touches. SQLite has one writer at a time and no isolation levels to set.
 */
export function readCommitted(em: EntityManager): { isolationLevel?: IsolationLevel } {
  return em.getPlatform() instanceof BaseSqlitePlatform ? {} : { isolationLevel: IsolationLevel.READ_COMMITTED };
}
