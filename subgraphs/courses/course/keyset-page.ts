import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import { badInput } from '../../../platform/errors';
import { pageSize, withLazyTotal, type Connection, type PageArgs } from '../../../platform/graphql/connection';

/**
 * Keyset pages like platform/graphql/connection.ts's `paginate`, over another ordered column than
 * `createdAt`: a lesson's `position` (course order), an attempt's `startedAt`. The cursor names the
 * column, so a cursor of one list is refused by another. One query for the page and one for the total
 * when it is read (withLazyTotal), both through the EntityManager: the tenant filter and the
 * soft-delete filter apply.
 */
export async function paginateBy<T extends { id: string }, K extends keyof T & string>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  args: PageArgs,
  column: K,
): Promise<Connection<T>> {
  const first = pageSize(args.first);
  const cursor = args.after ? decodeCursor(args.after, column) : undefined;
  const after = cursor
    ? ({ $or: [{ [column]: { $gt: cursor.value } }, { [column]: cursor.value, id: { $gt: cursor.id } }] } as FilterQuery<T>)
    : undefined;
  const rows =
    first === 0
      ? []
      : await em.find(entity, (after ? { $and: [where, after] } : where) as FilterQuery<T>, {
          orderBy: { [column]: 'asc', id: 'asc' } as never,
          limit: first + 1,
        });
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(column, node[column], node.id), node }));
  return withLazyTotal({ edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } }, () =>
    em.count(entity, where),
  );
}

function encodeCursor(column: string, value: unknown, id: string): string {
  const key = value instanceof Date ? { d: value.getTime() } : { n: value };
  return Buffer.from(JSON.stringify([column, key, id])).toString('base64url');
}

function decodeCursor(cursor: string, column: string): { value: Date | number; id: string } {
  try {
    const [name, key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      { d?: unknown; n?: unknown },
      unknown,
    ];
    const ok = name === column && typeof id === 'string' && id.length <= 64;
    if (ok && typeof key?.d === 'number' && Number.isFinite(key.d)) return { value: new Date(key.d), id };
    if (ok && typeof key?.n === 'number' && Number.isFinite(key.n)) return { value: key.n, id };
  } catch {
    // fall through to the clear error below
  }
  throw badInput('`after` is not a cursor returned by this field', 'after');
}
