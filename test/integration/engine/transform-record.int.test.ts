import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { createFixture } from './engine-fixture.js';

const events = {
  match: { left: 'iCalUID', right: 'iCalUId' },
  create: { to_right: true, to_left: false },
  fields: [
    { left: 'iCalUID', right: 'iCalUId', direction: 'both', conflict: 'prefer-left' },
    { left: 'recurrence', right: 'recurrence', direction: 'both', conflict: 'last-write-wins', transform: 'rrule' },
  ],
};

describeEachDialect('transforms that need the whole record', (getStore) => {
  it('rrule converts a weekly Google series without BYDAY, taking the weekday and zone from the event\'s start', async () => {
    const f = createFixture(getStore, { mapping: events });
    // 2026-03-04 is a Wednesday; Google keeps the series' start in the event, not in its RRULE line.
    f.left.put('contacts', {
      iCalUID: 'ev1@google.com', recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'],
      start: { dateTime: '2026-03-04T09:30:00+01:00', timeZone: 'Europe/Oslo' },
    });
    const report = await syncPair(f.deps);
    expect(report.problems).toEqual([]);
    expect(report.quiescent).toBe(true);
    expect(report.writes).toEqual({ left: 0, right: 1 });
    const created = f.right.all('members')[0]!;
    expect(created.fields.recurrence).toMatchObject({
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['wednesday'] },
      range: { type: 'numbered', numberOfOccurrences: 4, startDate: '2026-03-04' },
    });
  });
});
