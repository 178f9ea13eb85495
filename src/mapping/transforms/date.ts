/**
 * `date: { format, zone, to_zone }`: instants and days between two representations.
 *
 * Left values are read leniently, because left systems differ: ISO 8601 text (with an offset, or without one and
 * then read in `zone`), a plain day `2024-03-01` (midnight in `zone`), or epoch milliseconds as a number or digit
 * text (HubSpot's date properties). Right values are written in `format`, in `to_zone`:
 * - `iso` (default): ISO 8601 with milliseconds and the zone's offset, e.g. `2024-03-01T09:30:00.000+03:00`;
 * - `epoch_ms`: a number of milliseconds; `epoch_s`: a number of whole seconds;
 * - `date`: the calendar day `yyyy-MM-dd` in `to_zone`.
 * Back to the left, values are read in `format` and written as ISO 8601 in `zone` (`date` gives the day itself).
 * `zone` defaults to UTC and `to_zone` to `zone`; both are IANA names.
 *
 * Invertible: `iso` and `epoch_ms` keep the instant to the millisecond. `epoch_s` drops the milliseconds and `date`
 * drops the time of day, so on a two-way field they would overwrite the left value with a truncated one.
 */
import { DateTime, IANAZone } from 'luxon';
import type { CompiledTransform } from '../compiled-types.js';
import { converted, describeValue, invalid, isEmpty } from './converted.js';

export const dateFormats = ['iso', 'date', 'epoch_ms', 'epoch_s'] as const;
export type DateFormat = (typeof dateFormats)[number];

export interface DateOptions {
  format?: DateFormat | undefined;
  zone?: string | undefined;
  to_zone?: string | undefined;
}

export function isKnownZone(zone: string): boolean {
  return zone === 'UTC' || IANAZone.isValidZone(zone);
}

const digits = /^-?\d+$/;
const plainDay = /^\d{4}-\d{2}-\d{2}$/;

function readLeft(value: unknown, zone: string): DateTime | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? DateTime.fromMillis(value, { zone }) : undefined;
  if (typeof value !== 'string') return undefined;
  if (digits.test(value)) return DateTime.fromMillis(Number(value), { zone });
  const dt = DateTime.fromISO(value, { zone });
  return dt.isValid ? dt : undefined;
}

function readRight(value: unknown, format: DateFormat, zone: string): DateTime | undefined {
  if (format === 'epoch_ms' || format === 'epoch_s') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && digits.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n)) return undefined;
    return DateTime.fromMillis(format === 'epoch_s' ? n * 1000 : n, { zone });
  }
  if (typeof value !== 'string') return undefined;
  if (format === 'date' && !plainDay.test(value)) return undefined;
  const dt = DateTime.fromISO(value, { zone });
  return dt.isValid ? dt : undefined;
}

function writeRight(dt: DateTime, format: DateFormat): unknown {
  switch (format) {
    case 'epoch_ms': return dt.toMillis();
    case 'epoch_s': return Math.floor(dt.toMillis() / 1000);
    case 'date': return dt.toFormat('yyyy-MM-dd');
    case 'iso': return isoText(dt);
  }
}

/**
 * ISO 8601 offsets have whole minutes, but before standard time zones were adopted, local mean time had seconds
 * in its offset (Moscow in 1919: +04:31:19). Such instants are written in UTC, so that the text keeps the instant.
 */
function isoText(dt: DateTime): string | null {
  return Number.isInteger(dt.offset) ? dt.toISO() : dt.toUTC().toISO();
}

export function createDate(options: DateOptions = {}): CompiledTransform {
  const format = options.format ?? 'iso';
  const zone = options.zone ?? 'UTC';
  const toZone = options.to_zone ?? zone;
  const lossy: Partial<Record<DateFormat, string>> = {
    epoch_s: 'format epoch_s keeps whole seconds, so the milliseconds of the left value are lost',
    date: 'format date keeps only the calendar day, so the time of day of the left value is lost',
  };
  const because = lossy[format];
  const expectedRight = format === 'date' ? 'a day yyyy-MM-dd' : format === 'iso' ? 'ISO 8601 text' : `epoch ${format === 'epoch_s' ? 'seconds' : 'milliseconds'}`;
  return {
    name: `date(${format})`,
    invertible: because === undefined,
    ...(because ? { notInvertibleBecause: because } : {}),
    toRight(value) {
      if (isEmpty(value)) return converted(null);
      const dt = readLeft(value, zone);
      if (!dt || !dt.isValid) {
        return invalid(`date expects ISO 8601 text or epoch milliseconds on the left, found ${describeValue(value)}`);
      }
      return converted(writeRight(dt.setZone(toZone), format));
    },
    toLeft(value) {
      if (isEmpty(value)) return converted(null);
      const dt = readRight(value, format, toZone);
      if (!dt || !dt.isValid) return invalid(`date expects ${expectedRight} on the right, found ${describeValue(value)}`);
      if (format === 'date') return converted(value);
      return converted(isoText(dt.setZone(zone)));
    },
  };
}
