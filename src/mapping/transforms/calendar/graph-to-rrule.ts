/**
 * Graph `patternedRecurrence` -> Google `recurrence` lines. Reads Graph's answers as Graph sends them (every
 * pattern property present, unused ones as 0 or defaults, day names in any case) and writes one RRULE line in a
 * fixed canonical form: FREQ, INTERVAL (when not 1), BYMONTH, BYMONTHDAY, BYDAY (an ordinal day such as `2WE` for
 * one day, plain days with BYSETPOS for several), BYSETPOS, WKST (weekly, when not Monday), COUNT or UNTIL.
 */
import { DateTime } from 'luxon';
import { Frequency, RRule, Weekday, type Options } from './rrule-package.js';
import type { Converted } from '../../compiled-types.js';
import { converted, describeValue, invalid, unmapped } from '../converted.js';
import {
  graphDays, graphIndexes, patternTypes, type GraphDay, type GraphIndex, type GraphPattern, type GraphRange, type PatternType, type RecurrenceAnchor,
} from './recurrence-types.js';
import { shortMonthMismatch, startFitsPattern, startMisfit } from './pattern-fit.js';
import { ianaFromGraphZone } from './windows-zones.js';

type Step<T> = { ok: true; value: T } | { ok: false; result: Converted };
const fail = (result: Converted): { ok: false; result: Converted } => ({ ok: false, result });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const indexPosition: Record<GraphIndex, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

function day(v: unknown, where: string): Step<GraphDay> {
  const name = typeof v === 'string' ? v.toLowerCase() : '';
  if ((graphDays as readonly string[]).includes(name)) return { ok: true, value: name as GraphDay };
  return fail(invalid(`rrule: ${where} is ${describeValue(v)}; expected a day name (sunday ... saturday)`));
}

function int(v: unknown, where: string, min: number, max: number): Step<number> {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return { ok: true, value: v };
  return fail(invalid(`rrule: ${where} is ${describeValue(v)}; expected a whole number from ${min} to ${max}`));
}

/** Reads a Graph pattern into the canonical shape (only the properties its type uses). */
export function readPattern(p: unknown): Step<GraphPattern> {
  if (!isRecord(p)) return fail(invalid(`rrule: pattern is ${describeValue(p)}; expected an object with type and interval`));
  const type = p.type as PatternType;
  if (!patternTypes.includes(type)) return fail(invalid(`rrule: pattern.type is ${describeValue(p.type)}; allowed: ${patternTypes.join(', ')}`));
  const interval = int(p.interval, 'pattern.interval', 1, 99999);
  if (!interval.ok) return interval;
  const out: GraphPattern = { type, interval: interval.value };
  if (type === 'weekly' || type.startsWith('relative')) {
    if (!Array.isArray(p.daysOfWeek) || p.daysOfWeek.length === 0) return fail(invalid(`rrule: a ${type} pattern needs daysOfWeek; found ${describeValue(p.daysOfWeek)}`));
    const days: GraphDay[] = [];
    for (const d of p.daysOfWeek) {
      const r = day(d, 'a daysOfWeek entry');
      if (!r.ok) return r;
      days.push(r.value);
    }
    out.daysOfWeek = [...new Set(days)].sort((a, b) => (graphDays.indexOf(a) + 1) % 7 - (graphDays.indexOf(b) + 1) % 7);
  }
  if (type === 'weekly') {
    // Graph's default first day of the week is Sunday.
    const first = p.firstDayOfWeek === undefined || p.firstDayOfWeek === null ? { ok: true as const, value: 'sunday' as GraphDay } : day(p.firstDayOfWeek, 'pattern.firstDayOfWeek');
    if (!first.ok) return first;
    out.firstDayOfWeek = first.value;
  }
  if (type.startsWith('absolute')) {
    const dom = int(p.dayOfMonth, 'pattern.dayOfMonth', 1, 31);
    if (!dom.ok) return dom;
    out.dayOfMonth = dom.value;
  }
  if (type.endsWith('Yearly')) {
    const month = int(p.month, 'pattern.month', 1, 12);
    if (!month.ok) return month;
    out.month = month.value;
  }
  if (type.startsWith('relative')) {
    const index = p.index ?? 'first';
    if (!graphIndexes.includes(index as GraphIndex)) return fail(invalid(`rrule: pattern.index is ${describeValue(p.index)}; allowed: ${graphIndexes.join(', ')}`));
    out.index = index as GraphIndex;
  }
  return { ok: true, value: out };
}

/** Reads a Graph range (camelCase, or the older PascalCase type names). */
export function readRange(r: unknown): Step<GraphRange> {
  if (!isRecord(r)) return fail(invalid(`rrule: range is ${describeValue(r)}; expected an object with type and startDate`));
  const type = typeof r.type === 'string' ? r.type.charAt(0).toLowerCase() + r.type.slice(1) : r.type;
  if (type !== 'noEnd' && type !== 'numbered' && type !== 'endDate') return fail(invalid(`rrule: range.type is ${describeValue(r.type)}; allowed: endDate, noEnd, numbered`));
  const out: GraphRange = { type };
  if (r.startDate !== undefined && r.startDate !== null) {
    if (typeof r.startDate !== 'string' || !datePattern.test(r.startDate)) return fail(invalid(`rrule: range.startDate is ${describeValue(r.startDate)}; expected yyyy-mm-dd`));
    out.startDate = r.startDate;
  }
  if (type === 'endDate') {
    if (typeof r.endDate !== 'string' || !datePattern.test(r.endDate)) return fail(invalid(`rrule: range.endDate is ${describeValue(r.endDate)}; expected yyyy-mm-dd`));
    out.endDate = r.endDate;
  }
  if (type === 'numbered') {
    const n = int(r.numberOfOccurrences, 'range.numberOfOccurrences', 1, 999999);
    if (!n.ok) return n;
    out.numberOfOccurrences = n.value;
  }
  if (typeof r.recurrenceTimeZone === 'string' && r.recurrenceTimeZone !== '') out.recurrenceTimeZone = r.recurrenceTimeZone;
  return { ok: true, value: out };
}

const weekday = (d: GraphDay, n?: number): Weekday => new Weekday(graphDays.indexOf(d), n);
const freqOf: Record<PatternType, Frequency> = {
  daily: Frequency.DAILY, weekly: Frequency.WEEKLY, absoluteMonthly: Frequency.MONTHLY, relativeMonthly: Frequency.MONTHLY,
  absoluteYearly: Frequency.YEARLY, relativeYearly: Frequency.YEARLY,
};

/**
 * The RRULE line. UNTIL: for a timed series (a zone is known) the end of endDate in that zone, as UTC, the form
 * Google itself writes; for an all-day series, or when no zone is known, the date itself (`UNTIL=20170731`).
 */
export function ruleLine(pattern: GraphPattern, range: GraphRange, zone: string | undefined): string {
  const o: Partial<Options> = { freq: freqOf[pattern.type] };
  if (pattern.interval !== 1) o.interval = pattern.interval;
  if (pattern.month !== undefined) o.bymonth = pattern.month;
  if (pattern.dayOfMonth !== undefined) o.bymonthday = pattern.dayOfMonth;
  const mondayFirst = (pattern.daysOfWeek ?? []).slice().sort((a, b) => graphDays.indexOf(a) - graphDays.indexOf(b));
  if (pattern.index !== undefined && mondayFirst.length === 1) {
    o.byweekday = [weekday(mondayFirst[0]!, indexPosition[pattern.index])];
  } else if (mondayFirst.length > 0) {
    o.byweekday = mondayFirst.map((d) => weekday(d));
    if (pattern.index !== undefined) o.bysetpos = indexPosition[pattern.index];
  }
  if (pattern.type === 'weekly' && pattern.firstDayOfWeek !== undefined && pattern.firstDayOfWeek !== 'monday') o.wkst = weekday(pattern.firstDayOfWeek);
  let dateUntil: string | undefined;
  if (range.type === 'numbered') o.count = range.numberOfOccurrences!;
  if (range.type === 'endDate') {
    if (zone === undefined) {
      dateUntil = range.endDate!.replaceAll('-', '');
      o.until = DateTime.fromISO(range.endDate!, { zone: 'UTC' }).toJSDate();
    } else {
      o.until = DateTime.fromISO(range.endDate!, { zone }).endOf('day').set({ millisecond: 0 }).toUTC().toJSDate();
    }
  }
  let text = RRule.optionsToString(o).replace(/([=,])\+(\d)/g, '$1$2');
  if (dateUntil !== undefined) text = text.replace(/UNTIL=\d{8}T\d{6}Z/, `UNTIL=${dateUntil}`);
  return text;
}

/**
 * Graph recurrence -> Google lines. The zone for UNTIL is the anchor's (the event's start), else the range's
 * recurrenceTimeZone; with neither, the series is read as all-day.
 */
export function graphToRruleLines(value: unknown, anchor: RecurrenceAnchor | undefined, allDay: boolean | undefined): Converted {
  if (!isRecord(value)) return invalid(`rrule: expected Graph's { pattern, range }, found ${describeValue(value)}`);
  const pattern = readPattern(value.pattern);
  if (!pattern.ok) return pattern.result;
  const range = readRange(value.range);
  if (!range.ok) return range.result;
  const mismatch = shortMonthMismatch(pattern.value);
  if (mismatch) return mismatch;
  const startDate = anchor?.startDate ?? range.value.startDate;
  if (startDate !== undefined && !startFitsPattern(startDate, pattern.value)) return startMisfit(startDate);
  let zone: string | undefined;
  if (allDay !== true) {
    zone = anchor?.zone;
    if (zone === undefined && range.value.recurrenceTimeZone !== undefined) {
      zone = ianaFromGraphZone(range.value.recurrenceTimeZone);
      if (zone === undefined) return unmapped(`rrule: recurrenceTimeZone "${range.value.recurrenceTimeZone}" has no IANA name`);
    }
  }
  return converted([ruleLine(pattern.value, range.value, zone)]);
}
