/**
 * When digests go out: every day at 17:00 Cairo time (after school, before the evening), weekly
 * ones on Thursday (the end of the Egyptian school week). Egypt observes daylight saving time
 * again since 2023, so the offset is asked of the time zone database for each date, not fixed.
 */
export const DIGEST_TIME_ZONE = 'Africa/Cairo';
export const DIGEST_HOUR = 17;
/** Thursday (0 = Sunday). */
export const WEEKLY_DIGEST_DAY = 4;

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: DIGEST_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

function local(at: Date) {
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    y: Number(p.year),
    m: Number(p.month),
    d: Number(p.day),
    // The local wall-clock time, read as if it were UTC: its distance to `at` is the offset.
    asUtc: Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)),
  };
}

/** The UTC instant of wall-clock `hour`:00 in Cairo on the local date y-m-d. */
function cairoInstant(y: number, m: number, d: number, hour: number): Date {
  const wall = Date.UTC(y, m - 1, d, hour);
  // Two rounds settle the offset even on the day it changes.
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (local(new Date(guess)).asUtc - guess);
  return new Date(guess);
}

/** The next digest time strictly after `now`: daily at 17:00 Cairo, weekly on Thursday at 17:00. */
export function nextDigestAt(frequency: 'DAILY' | 'WEEKLY', now: Date = new Date()): Date {
  const today = local(now);
  for (let ahead = 0; ahead <= 8; ahead++) {
    // Noon UTC of the local date + `ahead` days names that calendar date whatever the offset.
    const day = new Date(Date.UTC(today.y, today.m - 1, today.d + ahead, 12));
    const weekday = day.getUTCDay();
    if (frequency === 'WEEKLY' && weekday !== WEEKLY_DIGEST_DAY) continue;
    const at = cairoInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), DIGEST_HOUR);
    if (at.getTime() > now.getTime()) return at;
  }
  throw new Error('no digest time found within a week');
}
