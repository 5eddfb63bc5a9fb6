/** Minutes `timeZone` is ahead of UTC at `at` (Intl's shortOffset: "GMT+2", "GMT-3:30", "GMT"). */
function offsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * The school's calendar day around `now` in `timeZone`, as UTC instants [start, end). Daylight
 * saving (Egypt has it) is taken at each end separately, so a day may be 23 or 25 hours long.
 */
export function dayBounds(timeZone: string, now = new Date()): { start: Date; end: Date } {
  const local = new Date(now.getTime() + offsetMinutes(timeZone, now) * 60_000);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const toUtc = (localMs: number) => new Date(localMs - offsetMinutes(timeZone, new Date(localMs)) * 60_000);
  return { start: toUtc(midnight), end: toUtc(midnight + 86_400_000) };
}
