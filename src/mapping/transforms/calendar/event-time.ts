/**
 * `event_time`: an event's `start` or `end` as Google Calendar writes it <-> as Microsoft Graph writes it.
 *
 * Google: `{ dateTime: "2015-09-15T06:00:00+02:00", timeZone?: "Europe/Zurich" }` for timed events (RFC 3339 with
 * an offset, or without one when `timeZone` is given), `{ date: "2015-06-01" }` for all-day events, end exclusive
 * (https://developers.google.com/calendar/api/v3/reference/events).
 * Graph: `{ dateTime: "2015-09-15T06:00:00.0000000", timeZone: "W. Europe Standard Time" }`, the wall time in the
 * named zone (https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone).
 *
 * Zones stay per event: the wall time is kept in the event's own zone, named the Windows way on Graph (see
 * windows-zones.ts for which IANA zone comes back). A Google time with an offset but no `timeZone` goes to Graph
 * in UTC, as Graph needs a zone name and an offset is not one.
 *
 * All-day: Graph marks all-day events with the event's `isAllDay`, which is not part of `start`/`end`. This
 * transform sees only the field, so it expects the Graph connector to present the start and end of an all-day
 * event with that flag inside (`{ dateTime, timeZone, isAllDay: true }`) and to lift the flag out to the event on
 * write; a Graph value without it is a timed event, even at midnight. All-day values are midnight in UTC on Graph
 * and the same day on Google, so the exclusive end date stays exclusive (Graph's all-day end is also the next
 * day's midnight).
 */
import { DateTime } from 'luxon';
import type { CompiledTransform, Converted } from '../../compiled-types.js';
import { converted, describeValue, invalid, isEmpty, unmapped } from '../converted.js';
import { ianaFromGraphZone, isIanaZone, windowsZoneOf } from './windows-zones.js';

export interface GoogleEventTime { date?: string; dateTime?: string; timeZone?: string }
export interface GraphEventTime { dateTime: string; timeZone: string; isAllDay?: boolean }

const plainDate = /^\d{4}-\d{2}-\d{2}$/;
const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i;
/** Graph writes seven fractional digits; only milliseconds are kept, as Google and JavaScript dates keep them. */
const graphFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'0000'";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function googleDateTimeText(local: DateTime): string {
  return local.toISO({ suppressMilliseconds: true, includeOffset: true })!;
}

/** Google's start or end -> Graph's. */
export function googleTimeToGraph(value: unknown): Converted {
  if (!isRecord(value)) return invalid(`event_time: expected Google's { dateTime, timeZone } or { date }, found ${describeValue(value)}`);
  const { date, dateTime, timeZone } = value;
  if (typeof date === 'string' && dateTime === undefined) {
    const day = DateTime.fromISO(date, { zone: 'UTC' });
    if (!plainDate.test(date) || !day.isValid) return invalid(`event_time: the all-day date ${describeValue(date)} is not a yyyy-mm-dd date`);
    return converted({ dateTime: day.toFormat(graphFormat), timeZone: 'UTC', isAllDay: true });
  }
  if (typeof dateTime !== 'string' || date !== undefined) {
    return invalid(`event_time: expected Google's { dateTime, timeZone } or { date } (one of the two), found ${describeValue(value)}`);
  }
  if (timeZone !== undefined && (typeof timeZone !== 'string' || !isIanaZone(timeZone))) {
    return invalid(`event_time: timeZone ${describeValue(timeZone)} is not an IANA zone name such as Europe/Berlin`);
  }
  if (!hasOffset.test(dateTime) && timeZone === undefined) {
    return invalid(`event_time: dateTime "${dateTime}" has no offset and no timeZone is given; Google needs one of the two`);
  }
  const zone = (timeZone as string | undefined) ?? 'UTC';
  const parsed = DateTime.fromISO(dateTime, { zone, setZone: false });
  if (!parsed.isValid) return invalid(`event_time: dateTime "${dateTime}" is not an RFC 3339 date-time`);
  const windows = windowsZoneOf(zone);
  if (windows === undefined) return unmapped(`event_time: the zone "${zone}" has no Windows zone name, so Microsoft Graph cannot hold it`);
  return converted({ dateTime: parsed.setZone(zone).toFormat(graphFormat), timeZone: windows });
}

/** Graph's start or end -> Google's. */
export function graphTimeToGoogle(value: unknown): Converted {
  if (!isRecord(value) || typeof value.dateTime !== 'string' || typeof value.timeZone !== 'string') {
    return invalid(`event_time: expected Graph's { dateTime, timeZone }, found ${describeValue(value)}`);
  }
  const { dateTime, timeZone, isAllDay } = value;
  if (isAllDay !== undefined && typeof isAllDay !== 'boolean') return invalid(`event_time: isAllDay is ${describeValue(isAllDay)}; expected true or false`);
  const zone = ianaFromGraphZone(timeZone);
  if (zone === undefined) return unmapped(`event_time: the Graph zone "${timeZone}" has no IANA name (custom Outlook zones cannot be mapped)`);
  // Graph sends wall times without an offset; an offset, if one is ever present, is honoured rather than ignored.
  const local = hasOffset.test(dateTime) ? DateTime.fromISO(dateTime).setZone(zone) : DateTime.fromISO(dateTime, { zone });
  if (!local.isValid) return invalid(`event_time: dateTime "${dateTime}" is not an ISO date-time`);
  if (!hasOffset.test(dateTime) && local.toFormat("yyyy-MM-dd'T'HH:mm:ss") !== dateTime.slice(0, 19)) {
    return invalid(`event_time: ${dateTime} does not exist in ${zone} (the clocks skip it when daylight saving time starts)`);
  }
  if (isAllDay === true) {
    if (local.toFormat('HH:mm:ss.SSS') !== '00:00:00.000') {
      return invalid(`event_time: an all-day Graph time must be midnight (Graph requires it), found ${dateTime}`);
    }
    return converted({ date: local.toFormat('yyyy-MM-dd') });
  }
  return converted({ dateTime: googleDateTimeText(local), timeZone: zone });
}

export function createEventTime(): CompiledTransform {
  return {
    name: 'event_time',
    invertible: true,
    toRight: (value) => (isEmpty(value) ? converted(null) : googleTimeToGraph(value)),
    toLeft: (value) => (isEmpty(value) ? converted(null) : graphTimeToGoogle(value)),
  };
}
