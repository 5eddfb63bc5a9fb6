import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/core';
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from '../errors';

@Directive('@shareable')
@Directive('@tag(name: "partner")')
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** Relay-style `first`/`after` arguments; `first` defaults to 20 and may not exceed 100. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true })
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  /** A number, or its promise when counted on demand (withLazyTotal). */
  totalCount: number | Promise<number>;
}

/**
 * `XxxConnection` and `XxxEdge` object types for a node type. `directives` (e.g. a partner
 * `@tag`) are applied to both; `fieldDirectives` to each of their fields (a `cacheHint(...)`: a
 * field is cacheable only with its own hint, platform/graphql/cache-control.ts), but `pageInfo`:
 * `PageInfo` is shared with subgraphs that declare no `@cacheControl`, so its fields go unhinted.
 */
export function ConnectionType<T extends object>(
  node: ClassType<T>,
  name = node.name,
  directives: string[] = [],
  fieldDirectives: string[] = [],
) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass implements Connection<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number | Promise<number>;
  }
  // In the order decorators written above the classes would apply: the last one first.
  for (const directive of [...directives].reverse()) {
    for (const type of [Edge, ConnectionClass]) Directive(directive)(type);
  }
  for (const directive of [...fieldDirectives].reverse()) {
    for (const field of ['cursor', 'node'] as const) Directive(directive)(Edge.prototype, field);
    for (const field of ['edges', 'totalCount'] as const) Directive(directive)(ConnectionClass.prototype, field);
  }
  return ConnectionClass;
}

interface Keyed {
  id: string;
  createdAt: Date;
}

const encodeCursor = (row: Keyed) => Buffer.from(JSON.stringify([row.createdAt.getTime(), row.id])).toString('base64url');

function decodeCursor(cursor: string): { t: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof t === 'number' && Number.isFinite(t) && typeof id === 'string' && id.length <= 64) return { t: new Date(t), id };
  } catch {
    // fall through to the clear error below
  }
  throw badInput('`after` is not a cursor returned by this field', 'after');
}

export function pageSize(first: number | undefined): number {
  if (first === undefined || first === null) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw badInput(`\`first\` must be between 0 and ${MAX_PAGE}`, 'first');
  }
  return first;
}

/**
 * A connection whose `totalCount` is counted only when read: GraphQL reads it only when the query
 * selects it, and a page of a list the caller does not count is one query instead of two. Read
 * once or many times, the count runs once; a failed count is reported to whoever reads it (and
 * never as an unhandled rejection when nobody does).
 */
export function withLazyTotal<T>(page: Omit<Connection<T>, 'totalCount'>, count: () => Promise<number>): Connection<T> {
  let total: Promise<number> | undefined;
  return Object.defineProperty({ ...page } as Connection<T>, 'totalCount', {
    enumerable: true,
    get() {
      if (!total) {
        total = count();
        total.catch(() => undefined);
      }
      return total;
    },
  });
}

/**
 * Keyset pagination over (createdAt, id): stable under inserts, unlike OFFSET. One query for the
 * page, and one for the total when it is read (withLazyTotal); both go through the
 * EntityManager, so the tenant filter applies.
 */
export async function paginate<T extends Keyed>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  args: PageArgs,
): Promise<Connection<T>> {
  const first = pageSize(args.first);
  const cursor = args.after ? decodeCursor(args.after) : undefined;
  const after = cursor
    ? ({ $or: [{ createdAt: { $gt: cursor.t } }, { createdAt: cursor.t, id: { $gt: cursor.id } }] } as FilterQuery<T>)
    : undefined;
  const rows =
    first === 0
      ? []
      : await em.find(entity, (after ? { $and: [where, after] } : where) as FilterQuery<T>, {
          orderBy: { createdAt: 'asc', id: 'asc' } as never,
          limit: first + 1,
        });
  return connectionOf(rows, first, () => em.count(entity, where));
}

/**
 * The connection of a page read elsewhere (a batch of first pages, firstRowsGroupedBy): `rows`
 * in (createdAt, id) order, up to `first` + 1 of them (the one more tells whether a next page
 * exists), the total counted on demand by `count`. Cursors as `paginate` makes them, so the next
 * page comes from `paginate` with `after`.
 */
export function connectionOf<T extends Keyed>(rows: T[], first: number, count: () => Promise<number>): Connection<T> {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(node), node }));
  return withLazyTotal({ edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } }, count);
}
