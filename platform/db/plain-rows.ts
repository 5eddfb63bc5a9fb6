import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
// The knex-based EntityManager every SQL driver shares (see grouped-count.ts).
import type { SqlEntityManager } from '@mikro-orm/mysql';

/**
 * Plain rows of a few columns, without making entities of them (10,000 contacts or keys are read
 * many times faster so), through the QueryBuilder with the request's filters applied: it skips
 * them unless asked, and the tenant filter must hold for every query.
 */
export async function plainRows<T extends object, K extends keyof T & string>(
  em: EntityManager,
  entity: EntityName<T>,
  columns: K[],
  where: FilterQuery<T>,
): Promise<Array<Pick<T, K>>> {
  const qb = (em as SqlEntityManager)
    .createQueryBuilder(entity, 'x')
    .select(columns.map((c) => `x.${c}`))
    .where(where);
  await qb.applyFilters();
  return qb.execute<Array<Pick<T, K>>>('all', true);
}
