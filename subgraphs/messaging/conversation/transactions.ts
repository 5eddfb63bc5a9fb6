import { BaseSqlitePlatform } from '@mikro-orm/better-sqlite';
import { DeadlockException, LockMode, LockWaitTimeoutException, type EntityManager } from '@mikro-orm/core';
import { readCommitted } from '../../../platform/db/isolation';

/**
 * Runs `fn` in a READ COMMITTED transaction (no gap locks: notifying looks rows up by prefix
 * beside its inserts), again when the database chose it as a deadlock victim or its lock wait
 * timed out: it was rolled back whole, so running it again is safe. Default 5 attempts.
 */
export async function writeTransaction<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional(fn, readCommitted(em));
    } catch (err) {
      const transient = err instanceof DeadlockException || err instanceof LockWaitTimeoutException;
      if (!transient || attempt >= attempts) throw err;
    }
  }
}

/**
 * `SELECT … FOR UPDATE` on MySQL/MariaDB: the messages of one conversation are written one after
 * the other (each takes its conversation's row first), so two writers never hold a shared lock
 * on it (the message's foreign key) while waiting to update it. SQLite runs one transaction at a
 * time and has no `FOR UPDATE`.
 */
export const writeLock = (em: EntityManager): { lockMode?: LockMode } =>
  em.getPlatform() instanceof BaseSqlitePlatform ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE };
