/**
 * rrule on the published examples: Google's recurring-event examples and Microsoft's recurrence examples
 * (https://developers.google.com/calendar/api/concepts/events-calendars,
 * https://learn.microsoft.com/en-us/graph/outlook-schedule-recurring-events), plus what Graph cannot express.
 */
import { describe, expect, it } from 'vitest';
import rrulePackage from 'rrule';
import { createRrule } from '../../../../src/mapping/transforms/calendar/rrule-transform.js';
import { noLinks, sync } from './sync-result.js';

const t = createRrule();
const right = (v: unknown) => sync(t.toRight(v, noLinks));
const left = (v: unknown) => sync(t.toLeft(v, noLinks));
const la = (dateTime: string) => ({ dateTime, timeZone: 'America/Los_Angeles' });

describe('rrule: Google\'s examples', () => {
  it('weekly until a UTC time, with the event\'s start: the weekday and the end day come from the start', () => {
    const event = { recurrence: ['RRULE:FREQ=WEEKLY;UNTIL=20110701T170000Z'], start: la('2011-06-03T10:00:00.000-07:00') };
    expect(right(event)).toEqual({ ok: true, value: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['friday'], firstDayOfWeek: 'monday' },
      range: { type: 'endDate', startDate: '2011-06-03', endDate: '2011-07-01', recurrenceTimeZone: 'Pacific Standard Time' },
    } });
  });

  it('Tuesday and Friday, five times, in Europe/Zurich', () => {
    const event = { recurrence: ['RRULE:FREQ=WEEKLY;COUNT=5;BYDAY=TU,FR'], start: { dateTime: '2015-09-15T06:00:00+02:00', timeZone: 'Europe/Zurich' } };
    expect(right(event)).toEqual({ ok: true, value: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday', 'friday'], firstDayOfWeek: 'monday' },
      range: { type: 'numbered', startDate: '2015-09-15', numberOfOccurrences: 5, recurrenceTimeZone: 'W. Europe Standard Time' },
    } });
  });

  it('the all-day example with EXDATE and RDATE is unmapped; its RRULE alone converts and comes back', () => {
    const start = { date: '2015-06-01' };
    const full = right({ recurrence: ['EXDATE;VALUE=DATE:20150610', 'RDATE;VALUE=DATE:20150609,20150611', 'RRULE:FREQ=DAILY;UNTIL=20150628;INTERVAL=3'], start });
    expect(full).toMatchObject({ ok: false, kind: 'unmapped', message: expect.stringContaining('EXDATE') });
    const y = right({ recurrence: ['RRULE:FREQ=DAILY;UNTIL=20150628;INTERVAL=3'], start });
    expect(y).toEqual({ ok: true, value: { pattern: { type: 'daily', interval: 3 }, range: { type: 'endDate', startDate: '2015-06-01', endDate: '2015-06-28' } } });
    if (y.ok) expect(left({ recurrence: y.value, start: { dateTime: '2015-06-01T00:00:00.0000000', timeZone: 'UTC' }, isAllDay: true }))
      .toEqual({ ok: true, value: ['RRULE:FREQ=DAILY;INTERVAL=3;UNTIL=20150628'] });
  });
});

describe('rrule: Microsoft\'s patterns (the derived RRULEs of PROVIDERS.md §4.9)', () => {
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{ type: 'daily', interval: 1 }, '2017-05-15', 'RRULE:FREQ=DAILY'],
    [{ type: 'daily', interval: 3 }, '2017-05-15', 'RRULE:FREQ=DAILY;INTERVAL=3'],
    [{ type: 'weekly', interval: 1, daysOfWeek: ['Thursday'] }, '2017-05-18', 'RRULE:FREQ=WEEKLY;BYDAY=TH;WKST=SU'],
    [{ type: 'weekly', interval: 2, daysOfWeek: ['Monday', 'Tuesday'] }, '2017-05-15', 'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU;WKST=SU'],
    [{ type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 }, '2017-05-15', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=15'],
    [{ type: 'absoluteMonthly', interval: 3, dayOfMonth: 7 }, '2017-06-07', 'RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=7'],
    [{ type: 'relativeMonthly', interval: 1, daysOfWeek: ['Wednesday'], index: 'second' }, '2017-05-10', 'RRULE:FREQ=MONTHLY;BYDAY=2WE'],
    [{ type: 'relativeMonthly', interval: 1, daysOfWeek: ['Thursday', 'Friday'], index: 'first' }, '2017-06-01', 'RRULE:FREQ=MONTHLY;BYDAY=TH,FR;BYSETPOS=1'],
    [{ type: 'absoluteYearly', interval: 1, dayOfMonth: 15, month: 4 }, '2018-04-15', 'RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=15'],
    [{ type: 'relativeYearly', interval: 1, daysOfWeek: ['Wednesday'], index: 'last', month: 11 }, '2017-11-29', 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=-1WE'],
  ];
  it.each(cases)('%j from %s', (pattern, startDate, rule) => {
    const recurrence = { pattern, range: { type: 'noEnd', startDate } };
    expect(left(recurrence)).toEqual({ ok: true, value: [rule] });
    const back = right({ recurrence: [rule], start: { date: startDate } });
    expect(back).toMatchObject({ ok: true, value: { range: { type: 'noEnd', startDate } } });
  });

  it('ranges: numbered is COUNT, endDate of an all-day series is a date UNTIL, of a timed one the end of that day in the zone', () => {
    const pattern = { type: 'daily', interval: 1 };
    expect(left({ pattern, range: { type: 'numbered', startDate: '2017-04-02', numberOfOccurrences: 10 } })).toEqual({ ok: true, value: ['RRULE:FREQ=DAILY;COUNT=10'] });
    expect(left({ pattern, range: { type: 'endDate', startDate: '2017-07-01', endDate: '2017-07-31' } })).toEqual({ ok: true, value: ['RRULE:FREQ=DAILY;UNTIL=20170731'] });
    expect(left({ pattern, range: { type: 'endDate', startDate: '2017-07-01', endDate: '2017-07-31', recurrenceTimeZone: 'Pacific Standard Time' } }))
      .toEqual({ ok: true, value: ['RRULE:FREQ=DAILY;UNTIL=20170801T065959Z'] });
  });

  it('every Monday 1 PM from 4 September 2017 to the end of the year ends on Monday 25 December, as Microsoft says', () => {
    const recurrence = { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['Monday'] }, range: { type: 'endDate', startDate: '2017-09-04', endDate: '2017-12-31' } };
    const lines = left({ recurrence, start: { dateTime: '2017-09-04T13:00:00.0000000', timeZone: 'Pacific Standard Time' } });
    expect(lines).toEqual({ ok: true, value: ['RRULE:FREQ=WEEKLY;BYDAY=MO;WKST=SU;UNTIL=20180101T075959Z'] });
    if (!lines.ok) return;
    const rule = rrulePackage.rrulestr(`DTSTART:20170904T200000Z\n${(lines.value as string[])[0]}`);
    const all = rule.all();
    expect(all[0]!.toISOString().slice(0, 10)).toBe('2017-09-04');
    expect(all.at(-1)!.toISOString().slice(0, 10)).toBe('2017-12-25');
  });

  it('first Thursday of every other month from 29 August: Graph starts in September, Google would start on the 29th, so unmapped', () => {
    const pattern = { type: 'relativeMonthly', interval: 2, daysOfWeek: ['Thursday'], index: 'first' };
    expect(left({ pattern, range: { type: 'noEnd', startDate: '2017-08-29' } })).toMatchObject({ ok: false, kind: 'unmapped', message: expect.stringContaining('not an occurrence') });
    expect(left({ pattern, range: { type: 'noEnd', startDate: '2017-09-07' } })).toEqual({ ok: true, value: ['RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=1TH'] });
  });

  it('days 29-31 of a month are unmapped: Outlook moves them to the last day of shorter months, Google skips those months', () => {
    expect(left({ pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, range: { type: 'noEnd', startDate: '2024-01-31' } }))
      .toMatchObject({ ok: false, kind: 'unmapped', message: expect.stringContaining('last day') });
    expect(left({ pattern: { type: 'absoluteYearly', interval: 1, dayOfMonth: 31, month: 12 }, range: { type: 'noEnd', startDate: '2024-12-31' } }))
      .toEqual({ ok: true, value: ['RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31'] });
  });

  it('reads Graph\'s answers as Graph sends them: every property present, unused ones zero, PascalCase range types', () => {
    const answer = {
      pattern: { type: 'weekly', interval: 1, month: 0, dayOfMonth: 0, daysOfWeek: ['monday'], firstDayOfWeek: 'sunday', index: 'first' },
      range: { type: 'EndDate', startDate: '2017-09-04', endDate: '2017-12-31', recurrenceTimeZone: 'Pacific Standard Time', numberOfOccurrences: 0 },
    };
    expect(left(answer)).toEqual({ ok: true, value: ['RRULE:FREQ=WEEKLY;BYDAY=MO;WKST=SU;UNTIL=20180101T075959Z'] });
  });
});

describe('rrule: what Graph cannot express is unmapped, never approximated', () => {
  const start = { dateTime: '2024-01-01T09:00:00+01:00', timeZone: 'Europe/Berlin' };
  const unmappable: Array<[string[], string]> = [
    [['RRULE:FREQ=DAILY;BYHOUR=9,17'], 'BYHOUR'],
    [['RRULE:FREQ=HOURLY;INTERVAL=4'], 'HOURLY'],
    [['RRULE:FREQ=WEEKLY;BYDAY=MO', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=1'], '2 RRULE lines'],
    [['RRULE:FREQ=WEEKLY;BYDAY=MO', 'RDATE:20240105T090000Z'], 'extra dates'],
    [['RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXRULE:FREQ=MONTHLY'], 'exclusion rules'],
    [['RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXDATE;TZID=Europe/Berlin:20240108T090000'], 'deleted instance'],
    [['RRULE:FREQ=DAILY;COUNT=5;UNTIL=20240301T000000Z'], 'COUNT together with UNTIL'],
    [['RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15'], 'several BYMONTHDAY'],
    [['RRULE:FREQ=MONTHLY;BYMONTHDAY=-1'], 'month\'s end'],
    [['RRULE:FREQ=YEARLY;BYMONTH=1,6;BYMONTHDAY=1'], 'several BYMONTH'],
    [['RRULE:FREQ=YEARLY;BYWEEKNO=1'], 'BYWEEKNO'],
    [['RRULE:FREQ=YEARLY;BYYEARDAY=1'], 'BYYEARDAY'],
    [['RRULE:FREQ=MONTHLY;BYDAY=MO'], 'every such day'],
    [['RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=5'], 'position 5'],
    [['RRULE:FREQ=MONTHLY;BYDAY=1MO,2TU'], 'different ordinals'],
    [['RRULE:FREQ=MONTHLY;BYDAY=1MO,1TU'], 'ordinal on several days'],
    [['RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,2'], 'several BYSETPOS'],
    [['RRULE:FREQ=DAILY;INTERVAL=2;BYDAY=MO'], 'INTERVAL and BYDAY'],
    [['RRULE:FREQ=MONTHLY;BYMONTHDAY=31'], 'last day'],
    [['RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29'], 'last day'],
    [['RRULE:FREQ=WEEKLY;BYDAY=TU'], 'not an occurrence'],
  ];
  it.each(unmappable)('%j', (recurrence, reason) => {
    expect(right({ recurrence, start })).toMatchObject({ ok: false, kind: 'unmapped', message: expect.stringContaining(reason) });
  });

  it('without the event\'s start, rules that depend on it are unmapped with the reason', () => {
    expect(right(['RRULE:FREQ=WEEKLY;UNTIL=20240301T225959Z;BYDAY=MO'])).toMatchObject({ ok: false, kind: 'unmapped', message: expect.stringContaining("event's start") });
    expect(right(['RRULE:FREQ=WEEKLY'])).toMatchObject({ ok: false, kind: 'unmapped', message: expect.stringContaining('weekday') });
    expect(right(['RRULE:FREQ=MONTHLY'])).toMatchObject({ ok: false, kind: 'unmapped', message: expect.stringContaining('day of the month') });
    // What does not depend on the start converts, without startDate (the Graph connector sets it from the start).
    expect(right(['RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=MO'])).toEqual({ ok: true, value: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' }, range: { type: 'numbered', numberOfOccurrences: 3 },
    } });
  });

  it('every weekday daily is a weekly pattern on five days', () => {
    expect(right({ recurrence: ['RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR'], start })).toMatchObject({ ok: true, value: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] },
    } });
  });

  it('reports unreadable values as invalid, and passes empty ones', () => {
    expect(right(['RRULE:FREQ=SOMETIMES'])).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right(['DTSTART:20240101T090000Z', 'RRULE:FREQ=DAILY'])).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right('RRULE:FREQ=DAILY')).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right({ recurrence: ['RRULE:FREQ=DAILY'], start: { dateTime: '2024-01-01T09:00:00Z' } })).toMatchObject({ ok: false, kind: 'invalid', message: expect.stringContaining('timeZone') });
    expect(left({ pattern: { type: 'fortnightly', interval: 1 }, range: { type: 'noEnd', startDate: '2024-01-01' } })).toMatchObject({ ok: false, kind: 'invalid' });
    expect(left({ pattern: { type: 'weekly', interval: 1, daysOfWeek: ['funday'] }, range: { type: 'noEnd' } })).toMatchObject({ ok: false, kind: 'invalid' });
    expect(left({ pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 0 } })).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right([])).toEqual({ ok: true, value: null });
    expect(right(null)).toEqual({ ok: true, value: null });
    expect(left(null)).toEqual({ ok: true, value: null });
  });
});
