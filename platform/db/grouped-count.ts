import { raw, type EntityManager, type EntityName, type FilterQuery } from '@mikro-orm/core';
// The knex-based EntityManager every SQL driver (MySQL, MariaDB, SQLite) shares; @mikro-orm/mysql
// is simply the declared dependency that re-exports it.
import type { SqlEntityManager } from '@mikro-orm/mysql';

/**
 * `SELECT <column>, count(*) … GROUP BY <column>` through the QueryBuilder with the request's
 * filters applied (the QueryBuilder skips them unless asked, and the tenant filter must hold
 * for every query). Keys without rows count 0.
 */
export async function countGroupedBy<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  /** Property to group by; for a relation, its foreign key. */
  property: string,
  keys: readonly string[],
  where: FilterQuery<T> = {} as FilterQuery<T>,
): Promise<number[]> {
  const column = (em.getMetadata().find(entity)!.properties as Record<string, { fieldNames: string[] }>)[property].fieldNames[0];
  const qb = (em as SqlEntityManager).createQueryBuilder(entity, 'x');
  qb.select([raw(`x.${column} as k`), raw('count(*) as n')])
    .where({ $and: [{ [property]: { $in: [...keys] } }, where] } as FilterQuery<T>)
    .groupBy(property as never);
  await qb.applyFilters();
  const rows = await qb.execute<Array<{ k: string; n: number | string }>>('all', false);
  const counts = new Map(rows.map((r) => [r.k, Number(r.n)]));
  return keys.map((k) => counts.get(k) ?? 0);
}
