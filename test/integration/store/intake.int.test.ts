import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimInboxBatch, countPendingInbox, createInboxWriter, insertInboxEvents, loadCursor, markInboxProcessed,
  pruneProcessedInbox, saveCursor, withTransaction, type InboxEvent,
} from '../../../src/store/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { createSqliteTestStore, describeEachDialect } from '../../support/db.js';

const now = new Date('2026-03-01T10:00:00.000Z');
const ev = (system: string, eventId: string, remoteId = `r-${eventId}`): InboxEvent =>
  ({ system, object: 'contacts', remoteId, eventId, kind: 'upsert', occurredAt: '2026-03-01T09:59:00.000Z', fields: { email: `${eventId}@x.io` } });

describeEachDialect('inbox', (getStore) => {
  it('stores an event id once per system, across calls and within one call', async () => {
    const { db } = getStore();
    const first = await insertInboxEvents(db, [ev('dedup', 'e1'), ev('dedup', 'e2'), ev('dedup', 'e1')], now);
    expect(first).toEqual({ inserted: 2, isNew: [true, true, false] });
    const second = await insertInboxEvents(db, [ev('dedup', 'e2'), ev('dedup', 'e3'), ev('dedup-other', 'e1')], now);
    expect(second).toEqual({ inserted: 2, isNew: [false, true, true] });
    const rows = await db.selectFrom('inbox').select(['system', 'event_id', 'payload']).where('system', 'like', 'dedup%').execute();
    expect(rows).toHaveLength(4);
    expect(JSON.parse(rows.find((r) => r.event_id === 'e1' && r.system === 'dedup')!.payload!)).toEqual({ email: 'e1@x.io' });
  });

  it('claims pending events oldest first, never hands one event to two claims, and forgets them once processed', async () => {
    const { db } = getStore();
    await db.deleteFrom('inbox').execute();
    await insertInboxEvents(db, Array.from({ length: 30 }, (_, i) => ev('claim', `c${String(i).padStart(2, '0')}`)), now);
    const claims = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      claimInboxBatch(db, { owner: `w${i}`, limit: 10, claimMs: 60_000, now })));
    const ids = claims.flat().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
    for (const batch of claims) expect(batch.map((e) => e.id)).toEqual([...batch.map((e) => e.id)].sort((a, b) => a - b));
    expect(claims.flat().find((e) => e.eventId === 'c00')).toMatchObject({ system: 'claim', kind: 'upsert', fields: { email: 'c00@x.io' } });

    // Held events are not handed out again until their claim expires.
    expect(await claimInboxBatch(db, { owner: 'late', limit: 100, claimMs: 60_000, now })).toEqual([]);
    const afterExpiry = new Date(now.getTime() + 60_000);
    await markInboxProcessed(db, ids.slice(0, 20), now);
    const retaken = await claimInboxBatch(db, { owner: 'late', limit: 100, claimMs: 60_000, now: afterExpiry });
    expect(retaken.map((e) => e.id).sort((a, b) => a - b)).toEqual(ids.slice(20).sort((a, b) => a - b));
    expect(await countPendingInbox(db)).toBe(10);
    expect(await pruneProcessedInbox(db, afterExpiry)).toBe(20);
    // A pruned event id is no longer remembered.
    expect((await insertInboxEvents(db, [ev('claim', 'c00')], afterExpiry)).inserted).toBe(1);
  });

  it('a cursor saved with its page is rolled back with it', async () => {
    const { db } = getStore();
    await expect(withTransaction(db, async (trx) => {
      await insertInboxEvents(trx, [ev('cur', 'p1')], now);
      await saveCursor(trx, 'cur', 'contacts', 'page-2', now);
      throw new Error('crash before commit');
    })).rejects.toThrow('crash before commit');
    expect(await loadCursor(db, 'cur', 'contacts')).toBeNull();
    expect(await db.selectFrom('inbox').select('id').where('system', '=', 'cur').execute()).toEqual([]);

    await withTransaction(db, async (trx) => {
      await insertInboxEvents(trx, [ev('cur', 'p1')], now);
      await saveCursor(trx, 'cur', 'contacts', 'page-2', now);
    });
    await saveCursor(db, 'cur', 'contacts', 'page-3', now);
    expect(await loadCursor(db, 'cur', 'contacts')).toBe('page-3');
  });
});

describeEachDialect('inbox group commit', (getStore) => {
  it('stores every event of concurrent writers exactly once and tells each writer which of its events were new', async () => {
    const { db } = getStore();
    const writer = createInboxWriter(db, { windowMs: 5, maxEvents: 40, clock: createManualClock('2026-03-01T10:00:00.000Z') });
    const requests = Array.from({ length: 120 }, (_, i) => [ev('group', `g${i % 80}`)]);
    const results = await Promise.all(requests.map((events) => writer.write(events)));
    await writer.close();
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(80);
    for (let k = 0; k < 80; k++) {
      const told = results.filter((r, i) => i % 80 === k && r.isNew[0]);
      expect(told, `event g${k}`).toHaveLength(1);
    }
    const stored = await db.selectFrom('inbox').select('event_id').where('system', '=', 'group').execute();
    expect(stored).toHaveLength(80);
    await expect(writer.write([ev('group', 'late')])).rejects.toThrow('closed');
  });

  it('requests that arrive together share one transaction', async () => {
    const { db } = getStore();
    let inboxInserts = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'InsertQueryNode') inboxInserts += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const writer = createInboxWriter(counted, { maxEvents: 1000 });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => writer.write([ev('together', `t${i}`)])));
    await writer.close();
    expect(results.every((r) => r.inserted === 1)).toBe(true);
    expect(inboxInserts).toBe(1);
  });

  it('an answered write is already durable: another connection sees it', async () => {
    const { db } = getStore();
    const writer = createInboxWriter(db);
    const result = await writer.write([ev('durable', 'd1'), ev('durable', 'd2')]);
    expect(result).toEqual({ inserted: 2, isNew: [true, true] });
    const seen = await db.selectFrom('inbox').select('event_id').where('system', '=', 'durable').orderBy('event_id').execute();
    expect(seen.map((r) => r.event_id)).toEqual(['d1', 'd2']);
    await writer.close();
  });

  it('for any mix of concurrent writes and duplicates, the inbox holds each distinct event once (property)', async () => {
    const { db } = getStore();
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 15 })), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 25 }),
      fc.integer({ min: 1, max: 30 }),
      async (writes, maxEvents) => {
        const system = `prop${run++}`;
        const writer = createInboxWriter(db, { maxEvents, windowMs: 1 });
        const results = await Promise.all(writes.map((w) => writer.write(w.map(([s, n]) => ev(`${system}${s}`, `e${n}`)))));
        await writer.close();
        const distinct = new Set(writes.flat().map(([s, n]) => `${s}/${n}`));
        const stored = await db.selectFrom('inbox').select(['system', 'event_id']).where('system', 'like', `${system}%`).execute();
        expect(stored).toHaveLength(distinct.size);
        expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(distinct.size);
      },
    ), { numRuns: 25 });
  });
});

describe('inbox group commit when the commit fails', () => {
  it('rejects every waiting write instead of leaving a webhook unanswered', async () => {
    const made = await createSqliteTestStore();
    const writer = createInboxWriter(made.store.db, { windowMs: 1 });
    await made.dispose();
    const results = await Promise.allSettled([writer.write([ev('gone', 'x1')]), writer.write([ev('gone', 'x2')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
