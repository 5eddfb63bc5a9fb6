import { badInput } from '../../../platform/errors';

/** A keyset position: a time and the row id that breaks ties within one millisecond. */
export interface Position {
  at: Date;
  id: string;
}

/** Opaque to clients: base64url of `[ms, id]`. */
export const encodeCursor = (p: Position): string => Buffer.from(JSON.stringify([p.at.getTime(), p.id])).toString('base64url');

/** The position of a cursor this subgraph handed out; BAD_USER_INPUT for anything else. */
export function decodeCursor(cursor: string): Position {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof t === 'number' && Number.isFinite(t) && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { at: new Date(t), id };
  } catch {
    // the clear error below
  }
  throw badInput('`after` is not a cursor returned by this field', 'after');
}

/**
 * Rows strictly before `p` in newest-first order over (`atField`, id): the next page after it.
 * A plain filter object, so it goes through the EntityManager and its tenant filter.
 */
export function olderThan(atField: string, p: Position): object {
  return { $or: [{ [atField]: { $lt: p.at } }, { [atField]: p.at, id: { $lt: p.id } }] };
}
