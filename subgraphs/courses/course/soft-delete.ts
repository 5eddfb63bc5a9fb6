import { Filter } from '@mikro-orm/core';

/**
 * The filter that hides deleted courses, lessons and quizzes (soft delete: `deletedAt`). On by
 * default for every query of this subgraph, and MikroORM applies it through relations too: a row
 * whose required relation points at a deleted row is hidden with it (the lessons, quizzes,
 * enrollments and sessions of a deleted course; the completions of a deleted lesson; the
 * attempts at a deleted quiz). The rows themselves stay stored, so history views lift the filter
 * by name (`includingDeleted()`) to show them.
 */
export const DELETED_FILTER = 'notDeleted';

export const SoftDeleteFilter = () => Filter({ name: DELETED_FILTER, cond: { deletedAt: null }, default: true });

/**
 * Find options that also see deleted rows (every other filter, the tenant's first, still
 * applies). A new object each time: MikroORM writes into the options it is given.
 */
export const includingDeleted = () => ({ filters: { [DELETED_FILTER]: false } });
