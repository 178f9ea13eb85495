/**
 * `rrule`: Google's `recurrence` (RFC 5545 lines) <-> Graph's `recurrence` (`{ pattern, range }`).
 *
 * The event's start. Graph keeps it in the recurrence (`range.startDate`, `range.recurrenceTimeZone`); Google
 * does not (its lines have no DTSTART; the start is the event's `start`). A mapped field gives this transform the
 * field's value only, so it takes either:
 * - the field value: Google's lines (`string[]`) or Graph's `{ pattern, range }`; or
 * - the event, or any object holding `recurrence` and `start` (Graph: also `isAllDay`), which anchors the rule.
 * The engine hands it the record a value belongs to (`TransformContext.record`): given the field value alone, it
 * takes the anchor from that record's `start` (and `isAllDay`), so a mapped `recurrence` field converts fully.
 * It always gives the other side's field value. With Google's lines alone, a Graph range gets no `startDate` or
 * `recurrenceTimeZone` (the Graph connector must set `startDate` to the date of the event's `start`, which Graph
 * requires anyway, and Graph's zone defaults to the event's), and rules whose meaning depends on the start are
 * `unmapped`: UNTIL as a UTC time (the end date is a day in the event's zone), WEEKLY without BYDAY, MONTHLY and
 * YEARLY without a day. The `event_time` transform syncs the start itself.
 *
 * EXDATE: Graph has no excluded dates; a cancelled occurrence is a deleted instance of the series. This transform
 * converts one value and cannot delete instances, so lines with EXDATE (or RDATE, EXRULE, several RRULEs) are
 * `unmapped`, reported and never approximated. Google itself records an occurrence removed in its UI as a cancelled
 * exception event, not as an EXDATE, so those sync as their own records.
 *
 * Invertible: every value that converts comes back exactly (the property tests in
 * test/unit/mapping/calendar/ check both directions): Graph patterns in their canonical shape (only the properties
 * a type uses) and RRULE lines in the canonical form graph-to-rrule.ts writes.
 */
import { DateTime } from 'luxon';
import type { CompiledTransform, Converted } from '../../compiled-types.js';
import { converted, describeValue, invalid, isEmpty, unmapped } from '../converted.js';
import { graphToRruleLines } from './graph-to-rrule.js';
import type { RecurrenceAnchor } from './recurrence-types.js';
import { rruleLinesToGraph } from './rrule-to-graph.js';
import { ianaFromGraphZone, isIanaZone } from './windows-zones.js';

type Anchored<T> = { ok: true; recurrence: T; anchor?: RecurrenceAnchor; allDay?: boolean } | { ok: false; result: Converted };
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEvent = (v: unknown): v is Record<string, unknown> => isRecord(v) && 'recurrence' in v && 'start' in v;

/** The anchor from Google's event start: `{ date }` or `{ dateTime, timeZone }`. */
export function anchorFromGoogleStart(start: unknown): RecurrenceAnchor | Converted {
  if (!isRecord(start)) return invalid(`rrule: the event's start is ${describeValue(start)}; expected { date } or { dateTime, timeZone }`);
  if (typeof start.date === 'string') return { startDate: start.date };
  if (typeof start.dateTime !== 'string') return invalid(`rrule: the event's start is ${describeValue(start)}; expected { date } or { dateTime, timeZone }`);
  // Google requires start.timeZone on recurring events: it is the zone the rule is expanded in.
  if (typeof start.timeZone !== 'string' || !isIanaZone(start.timeZone)) {
    return invalid(`rrule: the start of a recurring event needs an IANA timeZone (Google requires one); found ${describeValue(start.timeZone)}`);
  }
  const local = DateTime.fromISO(start.dateTime, { zone: start.timeZone });
  if (!local.isValid) return invalid(`rrule: the event's start dateTime "${start.dateTime}" is not an RFC 3339 date-time`);
  return { startDate: local.toFormat('yyyy-MM-dd'), zone: start.timeZone, startTime: local.toFormat('HH:mm:ss.SSS') };
}

/** The anchor from Graph's event start `{ dateTime, timeZone }` with the event's isAllDay. */
export function anchorFromGraphStart(start: unknown, allDay: boolean): RecurrenceAnchor | Converted {
  if (!isRecord(start) || typeof start.dateTime !== 'string' || typeof start.timeZone !== 'string') {
    return invalid(`rrule: the event's start is ${describeValue(start)}; expected { dateTime, timeZone }`);
  }
  const zone = ianaFromGraphZone(start.timeZone);
  if (zone === undefined) return unmapped(`rrule: the event's zone "${start.timeZone}" has no IANA name`);
  const local = DateTime.fromISO(start.dateTime.replace(/(\.\d{3})\d+/, '$1'), { zone });
  if (!local.isValid) return invalid(`rrule: the event's start dateTime "${start.dateTime}" is not an ISO date-time`);
  if (allDay) return { startDate: local.toFormat('yyyy-MM-dd') };
  return { startDate: local.toFormat('yyyy-MM-dd'), zone, startTime: local.toFormat('HH:mm:ss.SSS') };
}

const isConverted = (v: RecurrenceAnchor | Converted): v is Converted => 'ok' in v;

function readLeft(value: unknown): Anchored<unknown> {
  if (!isEvent(value)) return { ok: true, recurrence: value };
  const anchor = anchorFromGoogleStart(value.start);
  if (isConverted(anchor)) return { ok: false, result: anchor };
  return { ok: true, recurrence: value.recurrence, anchor };
}

function readRight(value: unknown): Anchored<unknown> {
  if (!isEvent(value)) return { ok: true, recurrence: value };
  const start = value.start as Record<string, unknown> | null;
  const allDay = value.isAllDay === true || (isRecord(start) && start.isAllDay === true);
  const anchor = anchorFromGraphStart(start, allDay);
  if (isConverted(anchor)) return { ok: false, result: anchor };
  return { ok: true, recurrence: value.recurrence, anchor, allDay };
}

export function recurrenceToGraph(value: unknown): Converted {
  const read = readLeft(value);
  if (!read.ok) return read.result;
  if (isEmpty(read.recurrence)) return converted(null);
  const lines = read.recurrence;
  if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string')) {
    return invalid(`rrule: expected Google's recurrence, a list of lines such as ["RRULE:FREQ=WEEKLY;BYDAY=MO"], found ${describeValue(lines)}`);
  }
  return rruleLinesToGraph(lines, read.anchor);
}

export function recurrenceToGoogle(value: unknown): Converted {
  const read = readRight(value);
  if (!read.ok) return read.result;
  if (isEmpty(read.recurrence)) return converted(null);
  return graphToRruleLines(read.recurrence, read.anchor, read.allDay);
}

/**
 * The field value with the event's start beside it, when the caller handed over the event the value belongs to
 * (`TransformContext.record`) and the value is not the event already.
 */
function withStart(value: unknown, record: Readonly<Record<string, unknown>> | undefined): unknown {
  if (record === undefined || isEvent(value) || !isRecord(record.start)) return value;
  return { recurrence: value, start: record.start, ...(record.isAllDay !== undefined ? { isAllDay: record.isAllDay } : {}) };
}

export function createRrule(): CompiledTransform {
  return {
    name: 'rrule',
    invertible: true,
    toRight: (value, ctx) => (isEmpty(value) ? converted(null) : recurrenceToGraph(withStart(value, ctx?.record))),
    toLeft: (value, ctx) => (isEmpty(value) ? converted(null) : recurrenceToGoogle(withStart(value, ctx?.record))),
  };
}
