import { BaseSqlitePlatform } from '@mikro-orm/better-sqlite';
import { LockMode, type EntityManager } from '@mikro-orm/core';

/**
 * Row locks on MySQL/MariaDB. SQLite has one connection: its transactions already run one at a
 * time, and it has no `FOR UPDATE`.
 */
const sqlite = (em: EntityManager) => em.getPlatform() instanceof BaseSqlitePlatform;

/** `SELECT … FOR UPDATE`: read-modify-write of one row that concurrent workers and callbacks also change. */
export const writeLock = (em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_WRITE } =>
  sqlite(em) ? {} : { lockMode: LockMode.PESSIMISTIC_WRITE };

/** `SELECT … FOR UPDATE SKIP LOCKED`: a batch claim where rows another replica holds are left to it. */
export const skipLocked = (em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_PARTIAL_WRITE } =>
  sqlite(em) ? {} : { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE };
