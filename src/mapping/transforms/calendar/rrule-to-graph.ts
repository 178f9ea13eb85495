/**
 * Google `recurrence` lines -> Graph `patternedRecurrence`. Only rules Graph can express exactly are converted;
 * anything else is `unmapped` with the reason, never approximated (the mapping notes of PROVIDERS.md §4.9).
 */
import { DateTime } from 'luxon';
import { Frequency, RRule, Weekday, type Options } from './rrule-package.js';
import type { Converted } from '../../compiled-types.js';
import { converted, invalid, unmapped } from '../converted.js';
import { graphDayOrder, graphDays, type GraphDay, type GraphIndex, type GraphPattern, type GraphRange, type RecurrenceAnchor } from './recurrence-types.js';
import { shortMonthMismatch, startFitsPattern, startMisfit } from './pattern-fit.js';
import { windowsZoneOf } from './windows-zones.js';

type Parsed = Partial<Options>;
type Step<T> = { ok: true; value: T } | { ok: false; result: Converted };
const fail = (result: Converted): { ok: false; result: Converted } => ({ ok: false, result });

const setposIndex = new Map<number, GraphIndex>([[1, 'first'], [2, 'second'], [3, 'third'], [4, 'fourth'], [-1, 'last']]);

function asList<T>(v: T | T[] | null | undefined): T[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function sortDays(days: GraphDay[]): GraphDay[] {
  return [...new Set(days)].sort((a, b) => graphDayOrder.indexOf(a) - graphDayOrder.indexOf(b));
}

/** The weekday, month and day of the anchor's start date, for rules that leave them to DTSTART. */
function anchorParts(anchor: RecurrenceAnchor): { day: GraphDay; dayOfMonth: number; month: number } {
  const d = DateTime.fromISO(anchor.startDate, { zone: 'UTC' });
  return { day: graphDays[d.weekday - 1]!, dayOfMonth: d.day, month: d.month };
}

const needsStart = (what: string): Converted =>
  unmapped(`rrule: ${what} comes from the event's start (DTSTART), which the transform was not given; give it the event ({ recurrence, start }) rather than the recurrence lines alone`);

/** BYDAY as Graph days plus at most one ordinal shared by all of them. */
function readDays(o: Parsed): Step<{ days: GraphDay[]; ordinal?: number }> {
  const list = asList(o.byweekday as Weekday | number | Array<Weekday | number> | null).map((w) => (typeof w === 'number' ? new Weekday(w) : w));
  const ordinals = new Set(list.map((w) => w.n ?? 0));
  if (ordinals.size > 1) return fail(unmapped(`rrule: BYDAY gives its days different ordinals or none (${list.map(String).join(',')}); Graph has one index per pattern`));
  const ordinal = [...ordinals][0] || undefined;
  if (ordinal !== undefined && list.length > 1) return fail(unmapped(`rrule: BYDAY with an ordinal on several days (${list.map(String).join(',')}) has no Graph pattern`));
  return { ok: true, value: { days: list.map((w) => graphDays[w.weekday]!), ...(ordinal !== undefined ? { ordinal } : {}) } };
}

function single(name: string, v: number | number[] | null | undefined): Step<number | undefined> {
  const list = asList(v);
  if (list.length > 1) return fail(unmapped(`rrule: several ${name} values (${list.join(',')}); Graph patterns hold one`));
  return { ok: true, value: list[0] };
}

/** The relative part (days + index) of a monthly or yearly rule, or undefined when the rule has no BYDAY. */
function relative(o: Parsed, days: { days: GraphDay[]; ordinal?: number }): Step<{ daysOfWeek: GraphDay[]; index: GraphIndex } | undefined> {
  const setpos = asList(o.bysetpos);
  if (days.days.length === 0) {
    return setpos.length > 0 ? fail(unmapped('rrule: BYSETPOS without BYDAY has no Graph pattern')) : { ok: true, value: undefined };
  }
  if (setpos.length > 1) return fail(unmapped(`rrule: several BYSETPOS values (${setpos.join(',')}); Graph has one index`));
  if (days.ordinal !== undefined && setpos.length > 0) return fail(unmapped('rrule: BYDAY with an ordinal together with BYSETPOS has no Graph pattern'));
  const position = days.ordinal ?? setpos[0];
  if (position === undefined) return fail(unmapped('rrule: BYDAY in a monthly or yearly rule without an ordinal or BYSETPOS means every such day; Graph has no pattern for that'));
  const index = setposIndex.get(position);
  if (index === undefined) return fail(unmapped(`rrule: position ${position} has no Graph index (Graph has first, second, third, fourth and last)`));
  return { ok: true, value: { daysOfWeek: sortDays(days.days), index } };
}

export function patternFromRule(o: Parsed, anchor: RecurrenceAnchor | undefined): Step<GraphPattern> {
  for (const [key, label] of [['byhour', 'BYHOUR'], ['byminute', 'BYMINUTE'], ['bysecond', 'BYSECOND'], ['byyearday', 'BYYEARDAY'], ['byweekno', 'BYWEEKNO'], ['byeaster', 'BYEASTER']] as const) {
    if (asList(o[key] as number | number[] | null | undefined).length > 0) return fail(unmapped(`rrule: ${label} has no Graph equivalent`));
  }
  const interval = o.interval ?? 1;
  const days = readDays(o);
  if (!days.ok) return days;
  const monthDay = single('BYMONTHDAY', o.bymonthday);
  const month = single('BYMONTH', o.bymonth);
  if (!monthDay.ok) return monthDay;
  if (!month.ok) return month;
  if (monthDay.value !== undefined && monthDay.value < 1) return fail(unmapped(`rrule: BYMONTHDAY=${monthDay.value} counts from the month's end; Graph's dayOfMonth counts from its start`));
  const setpos = asList(o.bysetpos);
  const plain = days.value.ordinal === undefined && setpos.length === 0;

  switch (o.freq) {
    case Frequency.DAILY:
      if (monthDay.value !== undefined || month.value !== undefined || !plain) return fail(unmapped('rrule: a daily rule limited by month, month day or position has no Graph pattern'));
      if (days.value.days.length === 0) return { ok: true, value: { type: 'daily', interval } };
      // Every listed weekday, every day: the same occurrences as a weekly rule on those days (PROVIDERS.md §4.9).
      if (interval !== 1) return fail(unmapped('rrule: a daily rule with INTERVAL and BYDAY has no Graph pattern'));
      return { ok: true, value: { type: 'weekly', interval: 1, daysOfWeek: sortDays(days.value.days), firstDayOfWeek: weekStart(o) } };
    case Frequency.WEEKLY: {
      if (monthDay.value !== undefined || month.value !== undefined || !plain) return fail(unmapped('rrule: a weekly rule limited by month, month day or position has no Graph pattern'));
      let list = days.value.days;
      if (list.length === 0) {
        if (!anchor) return fail(needsStart('the weekday of a weekly rule without BYDAY'));
        list = [anchorParts(anchor).day];
      }
      return { ok: true, value: { type: 'weekly', interval, daysOfWeek: sortDays(list), firstDayOfWeek: weekStart(o) } };
    }
    case Frequency.MONTHLY:
    case Frequency.YEARLY: {
      const yearly = o.freq === Frequency.YEARLY;
      if (!yearly && month.value !== undefined) return fail(unmapped('rrule: a monthly rule limited to some months has no Graph pattern'));
      const rel = relative(o, days.value);
      if (!rel.ok) return rel;
      if (rel.value && monthDay.value !== undefined) return fail(unmapped('rrule: BYDAY together with BYMONTHDAY has no Graph pattern'));
      let m = month.value;
      let dom = monthDay.value;
      if (yearly && m === undefined) {
        if (!anchor) return fail(needsStart('the month of a yearly rule without BYMONTH'));
        m = anchorParts(anchor).month;
      }
      if (!rel.value && dom === undefined) {
        if (!anchor) return fail(needsStart('the day of the month of a rule without BYMONTHDAY or BYDAY'));
        dom = anchorParts(anchor).dayOfMonth;
      }
      if (rel.value) return { ok: true, value: yearly ? { type: 'relativeYearly', interval, ...rel.value, month: m! } : { type: 'relativeMonthly', interval, ...rel.value } };
      return { ok: true, value: yearly ? { type: 'absoluteYearly', interval, dayOfMonth: dom!, month: m! } : { type: 'absoluteMonthly', interval, dayOfMonth: dom! } };
    }
    default:
      return fail(unmapped(`rrule: FREQ=${Frequency[o.freq ?? 0] ?? o.freq} has no Graph pattern (Graph has daily, weekly, monthly and yearly patterns)`));
  }
}

/** WKST; RFC 5545's default is Monday. */
function weekStart(o: Parsed): GraphDay {
  const w = o.wkst;
  if (w === null || w === undefined) return 'monday';
  return graphDays[typeof w === 'number' ? w : w.weekday]!;
}

/**
 * The range. UNTIL as a date is the inclusive end date. UNTIL as a UTC time is read in the event's zone: the last
 * day with an occurrence at or before it, so `UNTIL=20110701T170000Z` for a 10:00 Los Angeles event ends on
 * 2011-07-01 and Google's own end-of-day form (`T065959Z`) gives the same day.
 */
export function rangeFromRule(o: Parsed, untilIsDate: boolean, anchor: RecurrenceAnchor | undefined): Step<GraphRange> {
  const base: GraphRange = { type: 'noEnd' };
  if (anchor) base.startDate = anchor.startDate;
  if (anchor?.zone !== undefined) {
    const windows = windowsZoneOf(anchor.zone);
    if (windows === undefined) return fail(unmapped(`rrule: the event's zone "${anchor.zone}" has no Windows name for recurrenceTimeZone`));
    base.recurrenceTimeZone = windows;
  }
  if (o.count !== undefined && o.count !== null && o.until) return fail(unmapped('rrule: COUNT together with UNTIL (Google forbids it and Graph has no such range)'));
  if (o.count !== undefined && o.count !== null) {
    if (o.count < 1) return fail(invalid(`rrule: COUNT=${o.count} must be at least 1`));
    return { ok: true, value: { ...base, type: 'numbered', numberOfOccurrences: o.count } };
  }
  if (!o.until) return { ok: true, value: base };
  const until = DateTime.fromJSDate(o.until, { zone: 'UTC' });
  if (untilIsDate || !anchor?.zone) {
    if (!untilIsDate && !anchor) return fail(needsStart('reading UNTIL as a UTC time in the event\'s zone'));
    // A date, or a time against an all-day event: its UTC date (an all-day occurrence starts at its date's midnight).
    return { ok: true, value: { ...base, type: 'endDate', endDate: until.toFormat('yyyy-MM-dd') } };
  }
  const local = until.setZone(anchor.zone);
  const onLastDay = local.toFormat('HH:mm:ss.SSS') >= (anchor.startTime ?? '00:00:00.000');
  const last = onLastDay ? local : local.minus({ days: 1 });
  return { ok: true, value: { ...base, type: 'endDate', endDate: last.toFormat('yyyy-MM-dd') } };
}

/** Reads one RRULE body (without `RRULE:`) with the rrule package; unknown parts are `invalid`. */
export function parseRule(body: string): Step<{ options: Parsed; untilIsDate: boolean }> {
  let options: Parsed;
  try {
    options = RRule.parseString(body);
  } catch (err) {
    return fail(invalid(`rrule: "RRULE:${body}" cannot be read: ${err instanceof Error ? err.message : String(err)}`));
  }
  if (options.freq === undefined) return fail(invalid(`rrule: "RRULE:${body}" has no FREQ`));
  if (options.dtstart || options.tzid) return fail(invalid(`rrule: "RRULE:${body}" carries DTSTART or TZID; Google keeps the start in the event's start`));
  return { ok: true, value: { options, untilIsDate: /(^|;)UNTIL=\d{8}(;|$)/i.test(body) } };
}

/** Google `recurrence` lines -> Graph recurrence. An empty list is no recurrence (null). */
export function rruleLinesToGraph(lines: readonly string[], anchor: RecurrenceAnchor | undefined): Converted {
  if (lines.length === 0) return converted(null);
  const rules: string[] = [];
  for (const line of lines) {
    const name = /^[A-Za-z-]+/.exec(line)?.[0]?.toUpperCase();
    if (name === 'RRULE' && line[5] === ':') rules.push(line.slice(6));
    else if (name === 'EXDATE') {
      return unmapped(`rrule: "${line}": Graph keeps no excluded dates in a recurrence; a removed occurrence is a deleted instance of the series there, which this transform cannot write`);
    } else if (name === 'RDATE') return unmapped(`rrule: "${line}": Graph has no extra dates in a recurrence`);
    else if (name === 'EXRULE') return unmapped(`rrule: "${line}": Graph has no exclusion rules`);
    else return invalid(`rrule: "${line}" is not an RRULE, EXRULE, RDATE or EXDATE line`);
  }
  if (rules.length !== 1) return unmapped(`rrule: ${rules.length} RRULE lines; a Graph recurrence has exactly one pattern`);
  const parsed = parseRule(rules[0]!);
  if (!parsed.ok) return parsed.result;
  const pattern = patternFromRule(parsed.value.options, anchor);
  if (!pattern.ok) return pattern.result;
  const mismatch = shortMonthMismatch(pattern.value);
  if (mismatch) return mismatch;
  if (anchor && !startFitsPattern(anchor.startDate, pattern.value)) return startMisfit(anchor.startDate);
  const range = rangeFromRule(parsed.value.options, parsed.value.untilIsDate, anchor);
  if (!range.ok) return range.result;
  return converted({ pattern: pattern.value, range: range.value });
}

