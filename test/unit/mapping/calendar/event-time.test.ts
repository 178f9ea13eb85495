/**
 * Event start/end: Google's { dateTime, timeZone } | { date } <-> Graph's { dateTime, timeZone } with Windows
 * zone names; examples from Google's and Microsoft's documentation, and round trips on generated times and zones.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createEventTime } from '../../../../src/mapping/transforms/calendar/event-time.js';
import { noLinks, sync } from './sync-result.js';

const t = createEventTime();
const right = (v: unknown) => sync(t.toRight(v, noLinks));
const left = (v: unknown) => sync(t.toLeft(v, noLinks));

describe('event_time examples', () => {
  it('Google\'s timed start in its own zone becomes the same wall time in the Windows zone', () => {
    // Google's recurring-events example: start 2015-09-15T06:00:00+02:00 in Europe/Zurich.
    expect(right({ dateTime: '2015-09-15T06:00:00+02:00', timeZone: 'Europe/Zurich' }))
      .toEqual({ ok: true, value: { dateTime: '2015-09-15T06:00:00.0000000', timeZone: 'W. Europe Standard Time' } });
    // Google's example 2011-06-03T10:00:00.000-07:00 in America/Los_Angeles.
    expect(right({ dateTime: '2011-06-03T10:00:00.000-07:00', timeZone: 'America/Los_Angeles' }))
      .toEqual({ ok: true, value: { dateTime: '2011-06-03T10:00:00.0000000', timeZone: 'Pacific Standard Time' } });
  });

  it('an offset in another zone is moved to the event\'s zone, keeping the instant', () => {
    expect(right({ dateTime: '2024-01-10T09:00:00Z', timeZone: 'Europe/Moscow' }))
      .toEqual({ ok: true, value: { dateTime: '2024-01-10T12:00:00.0000000', timeZone: 'Russian Standard Time' } });
  });

  it('without a timeZone, Google\'s offset time goes to Graph in UTC', () => {
    expect(right({ dateTime: '2011-06-03T10:00:00-07:00' })).toEqual({ ok: true, value: { dateTime: '2011-06-03T17:00:00.0000000', timeZone: 'UTC' } });
  });

  it('Graph\'s example (Monday 1 PM Pacific) becomes an RFC 3339 time with the offset of that day', () => {
    expect(left({ dateTime: '2017-09-04T13:00:00.0000000', timeZone: 'Pacific Standard Time' }))
      .toEqual({ ok: true, value: { dateTime: '2017-09-04T13:00:00-07:00', timeZone: 'America/Los_Angeles' } });
    expect(left({ dateTime: '2017-12-25T13:00:00.0000000', timeZone: 'Pacific Standard Time' }))
      .toEqual({ ok: true, value: { dateTime: '2017-12-25T13:00:00-08:00', timeZone: 'America/Los_Angeles' } });
  });

  it('all-day: Google\'s date <-> Graph midnight with isAllDay, the exclusive end date kept', () => {
    // Google's all-day example: start 2015-06-01, end 2015-06-02 (exclusive).
    expect(right({ date: '2015-06-02' })).toEqual({ ok: true, value: { dateTime: '2015-06-02T00:00:00.0000000', timeZone: 'UTC', isAllDay: true } });
    expect(left({ dateTime: '2015-06-02T00:00:00.0000000', timeZone: 'UTC', isAllDay: true })).toEqual({ ok: true, value: { date: '2015-06-02' } });
    expect(left({ dateTime: '2015-06-02T00:00:00.0000000', timeZone: 'Pacific Standard Time', isAllDay: true })).toEqual({ ok: true, value: { date: '2015-06-02' } });
    // Without the flag, midnight is a timed event.
    expect(left({ dateTime: '2015-06-02T00:00:00.0000000', timeZone: 'UTC' })).toEqual({ ok: true, value: { dateTime: '2015-06-02T00:00:00Z', timeZone: 'UTC' } });
  });

  it('refuses what it cannot read, naming it', () => {
    expect(left({ dateTime: '2015-06-02T10:00:00.0000000', timeZone: 'UTC', isAllDay: true })).toMatchObject({ ok: false, kind: 'invalid', message: expect.stringContaining('midnight') });
    expect(left({ dateTime: '2021-03-28T02:30:00.0000000', timeZone: 'W. Europe Standard Time' })).toMatchObject({ ok: false, kind: 'invalid', message: expect.stringContaining('does not exist') });
    expect(left({ dateTime: '2021-03-28T10:00:00.0000000', timeZone: 'tzone://Microsoft/Custom' })).toMatchObject({ ok: false, kind: 'unmapped' });
    expect(right({ dateTime: '2021-03-28T10:00:00' })).toMatchObject({ ok: false, kind: 'invalid', message: expect.stringContaining('no offset') });
    expect(right({ dateTime: '2021-03-28T10:00:00Z', timeZone: 'Nowhere/Land' })).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right({ date: '2021-02-30' })).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right({ date: '2021-02-03', dateTime: '2021-02-03T10:00:00Z' })).toMatchObject({ ok: false, kind: 'invalid' });
    expect(right(null)).toEqual({ ok: true, value: null });
  });

  it('a Google time without offset is read in its timeZone', () => {
    expect(right({ dateTime: '2024-07-01T09:30:00', timeZone: 'Asia/Kolkata' })).toEqual({ ok: true, value: { dateTime: '2024-07-01T09:30:00.0000000', timeZone: 'India Standard Time' } });
  });
});

const zones = ['UTC', 'Europe/Berlin', 'Europe/Zurich', 'America/New_York', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Europe/Kyiv', 'America/St_Johns'];
const instants = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

describe('event_time round trips (no flap)', () => {
  it('timed: the Graph value comes back unchanged, the Google value settles after one crossing on the same instant', () => {
    fc.assert(fc.property(instants, fc.constantFrom(...zones), (instant, zone) => {
      const x = { dateTime: DateTime.fromJSDate(instant).setZone(zone).toISO()!, timeZone: zone };
      const y = right(x);
      expect(y).toMatchObject({ ok: true });
      if (!y.ok) return;
      const back = left(y.value);
      expect(back).toMatchObject({ ok: true });
      if (!back.ok) return;
      const xb = back.value as { dateTime: string };
      // A wall time the clocks pass twice (the hour DST ends) names two instants; Graph keeps only the wall time.
      const repeated = DateTime.fromJSDate(instant).setZone(zone).getPossibleOffsets().length > 1;
      if (!repeated) expect(DateTime.fromISO(xb.dateTime).toMillis(), 'same instant').toBe(instant.getTime());
      expect(right(back.value)).toEqual(y);
      expect(left(y.value)).toEqual(back);
    }), { numRuns: 500 });
  });

  it('all-day dates round-trip exactly both ways', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
      const x = { date: d.toISOString().slice(0, 10) };
      const y = right(x);
      expect(y).toMatchObject({ ok: true });
      if (!y.ok) return;
      expect(left(y.value)).toEqual({ ok: true, value: x });
    }), { numRuns: 300 });
  });
});
