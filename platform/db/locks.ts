import { BaseSqlitePlatform } from '@mikro-orm/better-sqlite';
import { DeadlockException, LockMode, LockWaitTimeoutException, type EntityManager } from '@mikro-orm/core';

/**
 * Row locks for read-modify-write under concurrency on MySQL/MariaDB. SQLite has one connection:
 * its transactions already run one at a time, and it has no `FOR UPDATE`.
 */
const sqlite = (em: EntityManager) => em.getPlatform() instanceof BaseSqlitePlatform;

/** `SELECT … FOR UPDATE`: read-modify-write of rows that concurrent requests, workers and callbacks also change. */
export const writeLock = (em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_WRITE } =>
  sqlite(em) ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE };

/** `SELECT … FOR UPDATE SKIP LOCKED`: a batch claim where rows another replica holds are left to it. */
export const skipLocked = (em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_PARTIAL_WRITE } =>
  sqlite(em) ? {} : { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE };

/**
 * Runs `fn` again when the database chose it as a deadlock victim or its lock wait timed out:
 * its transaction was rolled back whole, so running it again is safe. Default 5 attempts.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const transient = err instanceof DeadlockException || err instanceof LockWaitTimeoutException;
      if (!transient || attempt >= attempts) throw err;
    }
  }
}
