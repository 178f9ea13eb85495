/**
 * Reading ISO-8601 times for comparison. A zone-less time is read as UTC on both sides, so that the
 * comparison never depends on the machine's time zone. Anything that is not ISO-8601 is not a time:
 * `Date.parse` would accept `"March 7"` or `"1"` and guess.
 */
import { DateTime } from 'luxon';

/** Milliseconds since the epoch, or undefined when `s` is not an ISO-8601 date or date-time. */
export function parseInstant(s: unknown): number | undefined {
  if (typeof s !== 'string' || s.length < 10) return undefined;
  const t = DateTime.fromISO(s, { zone: 'utc' });
  return t.isValid ? t.toMillis() : undefined;
}

/**
 * -1, 0 or 1 as `a` is earlier than, at the same instant as, or later than `b`. An unreadable time
 * counts as earlier than any readable one; two unreadable times are equal.
 */
export function compareInstants(a: string | undefined, b: string | undefined): -1 | 0 | 1 {
  const ta = parseInstant(a);
  const tb = parseInstant(b);
  if (ta === undefined || tb === undefined) return ta === tb ? 0 : ta === undefined ? -1 : 1;
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}
