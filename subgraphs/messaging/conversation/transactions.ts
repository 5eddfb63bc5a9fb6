import type { EntityManager } from '@mikro-orm/core';
import { readCommitted } from '../../../platform/db/isolation';
import { retryOnDeadlock } from '../../../platform/db/locks';

/**
 * Runs `fn` in a READ COMMITTED transaction (no gap locks: notifying looks rows up by prefix
 * beside its inserts), again when the database chose it as a deadlock victim or its lock wait
 * timed out (retryOnDeadlock). Messages of one conversation are written one after the other:
 * each takes its conversation's row first (`writeLock`), so two writers never hold a shared lock
 * on it (the message's foreign key) while waiting to update it.
 */
export function writeTransaction<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  return retryOnDeadlock(() => em.transactional(fn, readCommitted(em)));
}
