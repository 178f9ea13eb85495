/**
 * rrule round trips on generated series. Graph -> Google -> Graph gives back the Graph recurrence exactly (in its
 * canonical shape: only the properties its type uses), with the event's start as the anchor and without it.
 * Google -> Graph -> Google gives back the rule in canonical form, whichever equivalent spelling it started from
 * (parts in any order, BYDAY=WE;BYSETPOS=2 for BYDAY=2WE, explicit INTERVAL=1 and WKST=MO).
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import rrulePackage from 'rrule';
import { describe, expect, it } from 'vitest';
import { createEventTime } from '../../../../src/mapping/transforms/calendar/event-time.js';
import { startFitsPattern } from '../../../../src/mapping/transforms/calendar/pattern-fit.js';
import type { GraphPattern, GraphRange } from '../../../../src/mapping/transforms/calendar/recurrence-types.js';
import { createRrule } from '../../../../src/mapping/transforms/calendar/rrule-transform.js';
import { noLinks, sync } from './sync-result.js';

const rrule = createRrule();
const eventTime = createEventTime();
const toRight = (v: unknown) => sync(rrule.toRight(v, noLinks));
const toLeft = (v: unknown) => sync(rrule.toLeft(v, noLinks));

const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const daySet = (max: number) => fc.uniqueArray(fc.constantFrom(...days), { minLength: 1, maxLength: max })
  .map((list) => [...list].sort((a, b) => days.indexOf(a) - days.indexOf(b)));
const interval = fc.integer({ min: 1, max: 12 });
const index = fc.constantFrom('first', 'second', 'third', 'fourth', 'last' as const);
const month = fc.integer({ min: 1, max: 12 });

const patterns: fc.Arbitrary<GraphPattern> = fc.oneof(
  fc.record({ type: fc.constant('daily' as const), interval }),
  fc.record({ type: fc.constant('weekly' as const), interval, daysOfWeek: daySet(7), firstDayOfWeek: fc.constantFrom(...days) }),
  // Days 29-31 are unmapped (Google skips short months, Outlook uses their last day): rrule-examples.test.ts.
  fc.record({ type: fc.constant('absoluteMonthly' as const), interval, dayOfMonth: fc.integer({ min: 1, max: 28 }) }),
  fc.record({ type: fc.constant('relativeMonthly' as const), interval, daysOfWeek: daySet(3), index }),
  fc.record({ type: fc.constant('absoluteYearly' as const), interval, month, dayOfMonth: fc.integer({ min: 1, max: 31 }) })
    .filter((p) => p.dayOfMonth <= [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][p.month - 1]!),
  fc.record({ type: fc.constant('relativeYearly' as const), interval, daysOfWeek: daySet(3), month, index }),
);

/** The first date on or after `from` that is an occurrence of the pattern (Graph and Google agree only there). */
function firstFit(from: Date, pattern: GraphPattern): string {
  let d = DateTime.fromJSDate(from, { zone: 'UTC' }).startOf('day');
  for (let i = 0; i < 3000; i += 1, d = d.plus({ days: 1 })) {
    if (startFitsPattern(d.toFormat('yyyy-MM-dd'), pattern)) return d.toFormat('yyyy-MM-dd');
  }
  throw new Error(`no start fits ${JSON.stringify(pattern)}`);
}

const windowsZones = ['Pacific Standard Time', 'W. Europe Standard Time', 'Russian Standard Time', 'India Standard Time', 'Lord Howe Standard Time', 'UTC', 'E. Australia Standard Time', 'Newfoundland Standard Time'];
type Ending = { type: 'noEnd' } | { type: 'numbered'; n: number } | { type: 'endDate'; afterDays: number };
const endings: fc.Arbitrary<Ending> = fc.oneof(
  fc.constant({ type: 'noEnd' as const }),
  fc.integer({ min: 1, max: 999 }).map((n) => ({ type: 'numbered' as const, n })),
  fc.integer({ min: 0, max: 3000 }).map((afterDays) => ({ type: 'endDate' as const, afterDays })),
);

interface Series { pattern: GraphPattern; startDate: string; ending: Ending; allDay: boolean; zone: string; time: string }
const series: fc.Arbitrary<Series> = fc.record({
  pattern: patterns,
  from: fc.date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }),
  ending: endings,
  allDay: fc.boolean(),
  zone: fc.constantFrom(...windowsZones),
  // Hours away from the small-hours daylight-saving gaps, so the wall time exists every day.
  time: fc.tuple(fc.integer({ min: 6, max: 22 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
}).map(({ from, ...rest }) => ({ ...rest, startDate: firstFit(from, rest.pattern) }));

function range(s: Series, anchored: boolean): GraphRange {
  const r: GraphRange = { type: s.ending.type };
  if (anchored) r.startDate = s.startDate;
  if (s.ending.type === 'numbered') r.numberOfOccurrences = s.ending.n;
  if (s.ending.type === 'endDate') r.endDate = DateTime.fromISO(s.startDate).plus({ days: s.ending.afterDays }).toFormat('yyyy-MM-dd');
  if (anchored && !s.allDay) r.recurrenceTimeZone = s.zone;
  return r;
}

function graphEvent(s: Series) {
  return {
    recurrence: { pattern: s.pattern, range: range(s, true) },
    start: s.allDay ? { dateTime: `${s.startDate}T00:00:00.0000000`, timeZone: 'UTC' } : { dateTime: `${s.startDate}T${s.time}:00.0000000`, timeZone: s.zone },
    isAllDay: s.allDay,
  };
}

/** The event's start as Google holds it, converted the way the `start` field itself syncs. */
function googleStart(s: Series): unknown {
  const graph = graphEvent(s);
  const converted = sync(eventTime.toLeft({ ...graph.start, ...(s.allDay ? { isAllDay: true } : {}) }, noLinks));
  if (!converted.ok) throw new Error(converted.message);
  return converted.value;
}

/** An equivalent spelling of a canonical RRULE line. */
const respelled = (line: string) => fc.record({ order: fc.infiniteStream(fc.double({ noNaN: true })), setpos: fc.boolean(), interval1: fc.boolean(), wkst: fc.boolean() })
  .map(({ order, setpos, interval1, wkst }) => {
    let parts = line.slice('RRULE:'.length).split(';');
    const ordinal = parts.map((p) => /^BYDAY=([+-]?\d)([A-Z]{2})$/.exec(p)).find(Boolean);
    if (setpos && ordinal) parts = [...parts.filter((p) => !p.startsWith('BYDAY=')), `BYDAY=${ordinal[2]}`, `BYSETPOS=${ordinal[1]}`];
    if (interval1 && !parts.some((p) => p.startsWith('INTERVAL='))) parts.push('INTERVAL=1');
    if (wkst && parts.includes('FREQ=WEEKLY') && !parts.some((p) => p.startsWith('WKST='))) parts.push('WKST=MO');
    const keys = [...order.take(parts.length)];
    const shuffled = parts.map((p, i) => [keys[i]!, p] as const).sort((a, b) => a[0] - b[0]).map(([, p]) => p);
    return `RRULE:${shuffled.join(';')}`;
  });

const runs = { numRuns: 400 };

describe('rrule round trips', () => {
  it('Graph -> Google -> Graph gives the Graph recurrence back, with the event\'s start', () => {
    fc.assert(fc.property(series, (s) => {
      const event = graphEvent(s);
      const lines = toLeft(event);
      expect(lines, JSON.stringify(event)).toMatchObject({ ok: true });
      if (!lines.ok) return;
      expect(toRight({ recurrence: lines.value, start: googleStart(s) }), JSON.stringify(lines.value)).toEqual({ ok: true, value: event.recurrence });
    }), runs);
  });

  it('Graph -> Google -> Graph without the start: the recurrence alone comes back (no startDate, no zone)', () => {
    fc.assert(fc.property(series, (s) => {
      const recurrence = { pattern: s.pattern, range: range(s, false) };
      const lines = toLeft(recurrence);
      expect(lines).toMatchObject({ ok: true });
      if (!lines.ok) return;
      const back = toRight(lines.value);
      // A weekly rule always names its days, and a monthly or yearly one its day, so nothing needs the start.
      expect(back, JSON.stringify(lines.value)).toEqual({ ok: true, value: recurrence });
    }), runs);
  });

  it('Google -> Graph -> Google gives the rule back in canonical form, from any equivalent spelling', () => {
    fc.assert(fc.property(series.chain((s) => {
      const canonical = toLeft(graphEvent(s));
      if (!canonical.ok) throw new Error(canonical.message);
      const line = (canonical.value as string[])[0]!;
      return respelled(line).map((variant) => ({ s, line, variant }));
    }), ({ s, line, variant }) => {
      const graph = toRight({ recurrence: [variant], start: googleStart(s) });
      expect(graph, variant).toMatchObject({ ok: true });
      if (!graph.ok) return;
      const event = { ...graphEvent(s), recurrence: graph.value };
      expect(toLeft(event), variant).toEqual({ ok: true, value: [line] });
    }), runs);
  });

  it('the written RRULE, expanded from the start by the rrule package, gives dates of the Graph pattern only, starting on the start and ending as the range says', () => {
    fc.assert(fc.property(series.map((s) => ({ ...s, allDay: false, zone: 'UTC' })), (s) => {
      const event = graphEvent(s);
      const lines = toLeft(event);
      if (!lines.ok) throw new Error(lines.message);
      const dtstart = `DTSTART:${s.startDate.replaceAll('-', '')}T${s.time.replace(':', '')}00Z`;
      const rule = rrulePackage.rrulestr(`${dtstart}\n${(lines.value as string[])[0]}`);
      const dates = rule.all((_, i) => i < 400).map((d) => d.toISOString().slice(0, 10));
      expect(dates[0]).toBe(s.startDate);
      for (const d of dates) expect(startFitsPattern(d, s.pattern), `${d} in ${lines.value}`).toBe(true);
      if (s.pattern.type === 'daily') {
        for (let i = 1; i < dates.length; i += 1) {
          expect(DateTime.fromISO(dates[i]!).diff(DateTime.fromISO(dates[i - 1]!), 'days').days).toBe(s.pattern.interval);
        }
      }
      const r = event.recurrence.range;
      if (r.type === 'numbered') expect(dates.length).toBe(Math.min(r.numberOfOccurrences!, 400));
      if (r.type === 'endDate' && dates.length < 400) {
        expect(dates.at(-1)! <= r.endDate!).toBe(true);
        const next = rule.after(new Date(`${dates.at(-1)}T23:59:59Z`));
        if (next) expect(next.toISOString().slice(0, 10) > r.endDate!).toBe(true);
      }
    }), { numRuns: 120 });
  });
});
