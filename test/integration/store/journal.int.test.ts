import { expect, it } from 'vitest';
import {
  completeJournal, finishBatch, getBatch, getJournalEntry, listBatches, listJournal, listUnresolvedIntents, recordIntent,
  startBatch, withTransaction,
} from '../../../src/store/index.js';
import { describeEachDialect } from '../../support/db.js';

const now = new Date('2026-03-01T10:00:00.000Z');
const later = new Date('2026-03-01T10:00:05.000Z');

describeEachDialect('journal', (getStore) => {
  it('walks an intent to its outcome; recovery lists only intents without one', async () => {
    const { db } = getStore();
    const batch = await startBatch(db, { pair: 'j-life', kind: 'sync', now });
    const base = { batchId: batch.id, pair: 'j-life', system: 'hubspot', object: 'contacts', now };
    const update = await recordIntent(db, { ...base, op: 'update', linkId: 'link-1', remoteId: '101',
      before: { firstname: 'Ada' }, after: { firstname: 'Ada L.' }, versionBefore: 'v1', idempotencyKey: 'j-life:1' });
    const create = await recordIntent(db, { ...base, op: 'create', after: { email: 'b@x.io' }, idempotencyKey: 'j-life:2' });
    expect(update.isNew && create.isNew).toBe(true);
    expect(update.entry).toMatchObject({ state: 'intent', before: { firstname: 'Ada' }, versionBefore: 'v1', remoteId: '101' });
    expect(create.entry.before).toBeUndefined();

    await withTransaction(db, (trx) => completeJournal(trx, update.entry.id, {
      state: 'applied', after: { firstname: 'Ada L.' }, versionAfter: 'v2', now: later }));
    const pending = await listUnresolvedIntents(db, { pair: 'j-life' });
    expect(pending.map((e) => e.id)).toEqual([create.entry.id]);

    await completeJournal(db, create.entry.id, { state: 'failed', error: 'validation: email taken', now: later });
    expect(await listUnresolvedIntents(db, { pair: 'j-life' })).toEqual([]);
    expect(await getJournalEntry(db, update.entry.id)).toMatchObject({
      state: 'applied', versionAfter: 'v2', after: { firstname: 'Ada L.' }, updatedAt: later.toISOString() });
    expect(await getJournalEntry(db, create.entry.id)).toMatchObject({ state: 'failed', error: 'validation: email taken' });

    await finishBatch(db, batch.id, { summary: { updated: 1, failed: 1 }, now: later });
    expect(await getBatch(db, batch.id)).toMatchObject({ kind: 'sync', finishedAt: later.toISOString(), summary: { updated: 1, failed: 1 } });
    expect((await listBatches(db, { pair: 'j-life' })).map((b) => b.id)).toEqual([batch.id]);
  });

  it('recording the same idempotency key again returns the first row instead of a second write', async () => {
    const { db } = getStore();
    const intent = { batchId: 'b', pair: 'j-key', system: 's', object: 'o', op: 'update' as const, remoteId: '1', idempotencyKey: 'j-key:1', now };
    const first = await recordIntent(db, intent);
    await completeJournal(db, first.entry.id, { state: 'applied', now: later });
    const second = await recordIntent(db, { ...intent, batchId: 'other' });
    expect(second).toMatchObject({ isNew: false, entry: { id: first.entry.id, state: 'applied', batchId: 'b' } });
    expect(await listJournal(db, { pair: 'j-key' })).toHaveLength(1);
  });

  it('lists entries in the order they were written, even within one millisecond (rollback walks them backwards)', async () => {
    const { db } = getStore();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await recordIntent(db, { batchId: 'b-order', pair: 'j-order', system: 's', object: 'o', op: 'update',
        remoteId: String(i), idempotencyKey: `j-order:${i}`, now });
      ids.push(r.entry.id);
    }
    expect((await listJournal(db, { batchId: 'b-order' })).map((e) => e.id)).toEqual(ids);
  });

  it('refuses a journal state outside intent, applied, failed, rolled-back, unknown', async () => {
    const { db } = getStore();
    const r = await recordIntent(db, { batchId: 'b', pair: 'j-state', system: 's', object: 'o', op: 'delete', remoteId: '1', idempotencyKey: 'j-state:1', now });
    await expect(db.updateTable('journal').set({ state: 'done' as never }).where('id', '=', r.entry.id).execute()).rejects.toThrow();
  });
});
