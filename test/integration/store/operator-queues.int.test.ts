import { expect, it } from 'vitest';
import {
  approvePair, countDeadLetters, countOpenConflicts, dropDeadLetter, getConflict, getPairState, listConflicts,
  listDeadLetters, listDueConflictFallbacks, listPausedPairs, openConflict, pausePair, putDeadLetter, resolveConflict,
  retryDeadLetter, upsertLink, withTransaction,
} from '../../../src/store/index.js';
import { describeEachDialect } from '../../support/db.js';

const now = new Date('2026-03-01T10:00:00.000Z');
const later = new Date('2026-03-03T10:00:00.000Z');

describeEachDialect('conflicts', (getStore) => {
  it('keeps one open conflict per link and field, refreshing its values; a resolved one is history', async () => {
    const { db } = getStore();
    const link = await upsertLink(db, { pair: 'c-pair', leftId: 'L1', rightId: 'R1', now });
    if (!link.ok) throw new Error('link failed');
    const base = { pair: 'c-pair', linkId: link.link.id, field: 'phone', base: '+1 555 0100', now };
    const opened = await openConflict(db, { ...base, left: '+1 555 0101', right: '+1 555 0102', fallbackDueAt: '2026-03-03T10:00:00.000Z' });
    const again = await openConflict(db, { ...base, left: '+1 555 0103', right: '+1 555 0102', now: later });
    expect(opened.isNew).toBe(true);
    expect(again).toMatchObject({ isNew: false, conflict: { id: opened.conflict.id, left: '+1 555 0103', openedAt: now.toISOString() } });
    expect(await countOpenConflicts(db)).toEqual(new Map([['c-pair', 1]]));

    expect((await listDueConflictFallbacks(db, new Date('2026-03-02T10:00:00.000Z'))).map((c) => c.id)).toEqual([]);
    expect((await listDueConflictFallbacks(db, later)).map((c) => c.id)).toEqual([opened.conflict.id]);

    const resolved = await withTransaction(db, (trx) => resolveConflict(trx, opened.conflict.id, { resolution: { take: 'left' }, now: later }));
    expect(resolved).toMatchObject({ ok: true, conflict: { state: 'resolved', resolution: { take: 'left' }, resolvedAt: later.toISOString() } });
    expect(await resolveConflict(db, opened.conflict.id, { resolution: { take: 'right' }, now: later }))
      .toMatchObject({ ok: false, reason: 'already-resolved', conflict: { resolution: { take: 'left' } } });
    expect(await resolveConflict(db, 'no-such-id', { resolution: null, now })).toEqual({ ok: false, reason: 'not-found' });

    const reopened = await openConflict(db, { ...base, left: 'x', right: 'y', now: later });
    expect(reopened.isNew).toBe(true);
    expect((await listConflicts(db, { pair: 'c-pair' })).map((c) => c.state)).toEqual(['resolved', 'open']);
    expect((await listConflicts(db, { pair: 'c-pair', state: 'open' })).map((c) => c.id)).toEqual([reopened.conflict.id]);
    expect(await getConflict(db, opened.conflict.id)).toMatchObject({ base: '+1 555 0100' });
  });
});

describeEachDialect('dead letters', (getStore) => {
  it('a repeated failure of the same key updates one row; retry takes it out with its payload; drop discards', async () => {
    const { db } = getStore();
    const first = await putDeadLetter(db, { system: 'hubspot', pair: 'd-pair', key: 'link-7', payload: { ids: ['7'] }, error: '500 from HubSpot', attempts: 5, now });
    const second = await putDeadLetter(db, { system: 'hubspot', pair: 'd-pair', key: 'link-7', payload: { ids: ['7', '8'] }, error: 'timeout', attempts: 5, now: later });
    await putDeadLetter(db, { system: 'hubspot', pair: 'd-pair', key: 'link-9', payload: { ids: ['9'] }, error: '400', attempts: 1, now });
    expect(second).toMatchObject({ id: first.id, attempts: 10, error: 'timeout', payload: { ids: ['7', '8'] }, createdAt: now.toISOString(), lastErrorAt: later.toISOString() });
    expect(await countDeadLetters(db)).toEqual([{ system: 'hubspot', pair: 'd-pair', count: 2 }]);

    const retried = await withTransaction(db, (trx) => retryDeadLetter(trx, first.id));
    expect(retried).toMatchObject({ key: 'link-7', payload: { ids: ['7', '8'] } });
    expect(await retryDeadLetter(db, first.id)).toBeUndefined();
    const [remaining] = await listDeadLetters(db, { system: 'hubspot' });
    expect(remaining?.key).toBe('link-9');
    expect(await dropDeadLetter(db, remaining!.id)).toBe(true);
    expect(await dropDeadLetter(db, remaining!.id)).toBe(false);
    expect(await listDeadLetters(db)).toEqual([]);
  });
});

describeEachDialect('pair state', (getStore) => {
  it('a paused pair stays paused until approved; approving a running pair says so', async () => {
    const { db } = getStore();
    expect(await getPairState(db, 'ps-pair')).toMatchObject({ paused: false });
    await pausePair(db, 'ps-pair', 'would delete 40% of records (limit 10%)', now);
    expect(await getPairState(db, 'ps-pair')).toMatchObject({ paused: true, pausedReason: 'would delete 40% of records (limit 10%)' });
    expect((await listPausedPairs(db)).map((p) => p.pair)).toEqual(['ps-pair']);
    expect(await approvePair(db, 'ps-pair', later)).toBe(true);
    expect(await getPairState(db, 'ps-pair')).toMatchObject({ paused: false, approvedAt: later.toISOString() });
    expect(await approvePair(db, 'ps-pair', later)).toBe(false);
    expect(await approvePair(db, 'never-paused', later)).toBe(false);
  });
});
