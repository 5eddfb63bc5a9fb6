/**
 * Event ids in the Redis stream format `<ms>-<seq>`, shared by both bus adapters so a client
 * resuming with `after` gets the same answer whichever adapter runs.
 */
const STREAM_ID = /^(\d{1,20})(?:-(\d{1,20}))?$/;

/** The zero id: every real event compares greater than it. */
export const ZERO_ID = '0-0';

/**
 * Validates an id coming from outside (a client's `after`) and returns it in full `<ms>-<seq>`
 * form; Redis accepts a bare `<ms>` as `<ms>-0`, so this does too.
 */
export function normalizeId(id: string): string {
  const match = STREAM_ID.exec(id);
  if (!match) throw new TypeError(`Invalid event id "${id}": expected "<ms>-<seq>"`);
  return `${match[1]}-${match[2] ?? '0'}`;
}

/**
 * Orders ids numerically on both parts: a plain string comparison is wrong as soon as the
 * parts have different lengths (`9-0` < `10-0`). Parts can exceed 2^53, so they are compared as
 * decimal strings rather than converted to numbers.
 */
export function compareIds(a: string, b: string): number {
  const [aMs, aSeq = '0'] = a.split('-');
  const [bMs, bSeq = '0'] = b.split('-');
  return compareDecimal(aMs, bMs) || compareDecimal(aSeq, bSeq);
}

/**
 * The position just before anything published at `at` or later: where a feed resumes for a
 * client whose last item is known by its time only (its event id not recorded yet). A repeat of
 * that item is possible, a gap is not.
 */
export const idBefore = (at: Date): string => `${at.getTime() - 1}-0`;

/** The id after `last` at time `now`, the way Redis assigns `XADD *` ids. */
export function nextId(last: string, now: number): string {
  const [lastMs, lastSeq] = normalizeId(last).split('-').map(Number);
  return now > lastMs ? `${now}-0` : `${lastMs}-${lastSeq + 1}`;
}

function compareDecimal(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}
