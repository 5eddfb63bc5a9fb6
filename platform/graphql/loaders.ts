import DataLoader from 'dataloader';

/*
 * DataLoader factories for the per-request loaders of a subgraph (`createLoaders` in its
 * context.ts). `load` gets every key asked for in one tick and answers with one query
 * (`{ id: { $in: keys } }` through the request's tenant-scoped EntityManager); the factory puts
 * the rows back in key order.
 */

/**
 * A loader of one row per key: one query per tick; keys without a row answer null.
 * @param keyOf the key a row answers (its id, a foreign key, a pairKey…)
 */
export function oneBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (keys) => {
    const rows = new Map((await load([...keys])).map((r) => [keyOf(r), r]));
    return keys.map((k) => rows.get(k) ?? null);
  });
}

/** A loader of rows by id (oneBy keyed by `row.id`). */
export const byId = <T extends { id: string }>(load: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> =>
  oneBy(load, (r) => r.id);

/**
 * A loader of row lists per key (usually a foreign key): one query per tick; every row goes to
 * the list of its key, in the query's order; keys without rows answer [].
 * @param keyOf the key a row belongs to
 */
export function listBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (keys) => groupByKey(keys, await load([...keys]), keyOf, (row) => row));
}

/**
 * A loader of id lists per key, for a link table read from one side (a guardian's children, a
 * student's guardians): like listBy, with each row's `idOf` in place of the row.
 * @param keyOf the key a row belongs to
 * @param idOf what a row adds to its key's list
 */
export function idsBy<T>(
  load: (keys: string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
  idOf: (row: T) => string,
): DataLoader<string, string[]> {
  return new DataLoader<string, string[]>(async (keys) => groupByKey(keys, await load([...keys]), keyOf, idOf));
}

/** Composite loader key of a pair of ids, e.g. (course, student) or (quiz, student). */
export const pairKey = (a: string, b: string) => `${a}:${b}`;

/**
 * The first ids and the second ids of pairKeys, for one `a IN (…) AND b IN (…)` query. That query
 * may also return rows of pairs nobody asked for (first of one key, second of another): the
 * loader's keyOf (a pairKey) leaves them out.
 */
export function splitPairs(keys: readonly string[]): readonly [string[], string[]] {
  const pairs = keys.map((k) => k.split(':'));
  return [pairs.map((p) => p[0]), pairs.map((p) => p[1])] as const;
}

function groupByKey<T, V>(keys: readonly string[], rows: T[], keyOf: (row: T) => string, valueOf: (row: T) => V): V[][] {
  const groups = new Map<string, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(valueOf(row));
    else groups.set(key, [valueOf(row)]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}
