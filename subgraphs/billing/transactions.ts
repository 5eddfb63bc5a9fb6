import { BaseSqlitePlatform } from '@mikro-orm/better-sqlite';
import { DeadlockException, LockMode, LockWaitTimeoutException, type EntityManager } from '@mikro-orm/core';

/**
 * Row locks for read-modify-write under concurrency (`SELECT … FOR UPDATE`) on MySQL/MariaDB.
 * SQLite has one connection: transactions already run one at a time there, and it has no
 * `FOR UPDATE`.
 */
export const writeLock = (em: EntityManager): { lockMode?: LockMode } =>
  em.getPlatform() instanceof BaseSqlitePlatform ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE };

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
