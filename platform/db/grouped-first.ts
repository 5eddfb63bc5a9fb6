import { raw, type EntityManager, type EntityName, type FilterQuery } from '@mikro-orm/core';
// The knex-based EntityManager every SQL driver shares (see grouped-count.ts).
import type { SqlEntityManager } from '@mikro-orm/mysql';

/**
 * The first `limit` rows of each key in (createdAt, id) order, for the first pages of one list
 * per parent (a roster per course) in two queries whatever the number of parents: the ids, by a
 * window function (`row_number() over (partition by <column> …)`, SQLite 3.25+, MariaDB 10.2+,
 * MySQL 8) through the QueryBuilder with the request's filters applied (it skips them unless
 * asked, and the tenant filter must hold for every query), then those rows as entities through
 * the EntityManager (filters again). Keys without rows answer [].
 */
export async function firstRowsGroupedBy<T extends { id: string; createdAt: Date }>(
  em: EntityManager,
  entity: EntityName<T>,
  /** Property to group by; for a relation, its foreign key. */
  property: string,
  keys: readonly string[],
  where: FilterQuery<T>,
  limit: number,
  keyOf: (row: T) => string,
): Promise<T[][]> {
  if (limit <= 0 || !keys.length) return keys.map(() => []);
  const meta = em.getMetadata().find(entity)!.properties as Record<string, { fieldNames: string[] }>;
  const [column, created] = [meta[property].fieldNames[0], meta.createdAt.fieldNames[0]];
  const ranked = (em as SqlEntityManager)
    .createQueryBuilder(entity, 'x')
    .select(['x.id', raw(`row_number() over (partition by x.${column} order by x.${created} asc, x.id asc) as rn`)])
    .where({ $and: [{ [property]: { $in: [...keys] } }, where] } as FilterQuery<T>);
  await ranked.applyFilters();
  const sql = em as SqlEntityManager;
  const firsts = sql.getKnex().select('r.id').from(ranked.getKnexQuery().as('r')).where('r.rn', '<=', limit);
  const ids = await sql.execute<Array<{ id: string }>>(firsts);
  const rows = ids.length
    ? await em.find(entity, { id: { $in: ids.map((r) => r.id) } } as unknown as FilterQuery<T>, {
        orderBy: { createdAt: 'asc', id: 'asc' } as never,
      })
    : [];
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}
