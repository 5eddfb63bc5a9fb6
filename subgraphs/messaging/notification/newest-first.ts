import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import { badInput } from '../../../platform/errors';
import { pageSize, type Connection } from '../../../platform/graphql/connection';

interface Keyed {
  id: string;
  createdAt: Date;
}

const encode = (row: Keyed) => Buffer.from(JSON.stringify([row.createdAt.getTime(), row.id])).toString('base64url');

function decode(cursor: string): { t: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof t === 'number' && Number.isFinite(t) && typeof id === 'string' && id.length <= 64) return { t: new Date(t), id };
  } catch {
    // the clear error below
  }
  throw badInput('`after` is not a cursor returned by this field', 'after');
}

/**
 * Keyset pagination over (createdAt, id), newest first (an inbox, a list of announcements):
 * platform/graphql/connection.ts's `paginate` goes oldest first. Stable under inserts; page and
 * total through `em`, so the tenant filter applies.
 */
export async function paginateNewestFirst<T extends Keyed>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<T>> {
  const first = pageSize(args.first ?? undefined);
  const cursor = args.after ? decode(args.after) : undefined;
  const page = (
    cursor ? { $and: [where, { $or: [{ createdAt: { $lt: cursor.t } }, { createdAt: cursor.t, id: { $lt: cursor.id } }] }] } : where
  ) as FilterQuery<T>;
  const [rows, totalCount] = await Promise.all([
    first === 0
      ? Promise.resolve([] as T[])
      : em.find(entity, page, { orderBy: { createdAt: 'desc', id: 'desc' } as never, limit: first + 1 }),
    em.count(entity, where),
  ]);
  const edges = rows.slice(0, first).map((node) => ({ cursor: encode(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
}
