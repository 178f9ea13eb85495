import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { rollback } from '../../../src/engine/rollback/rollback.js';
import { createFixture, linkedRecord } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'city', right: 'town', direction: 'both', conflict: 'manual' },
  ],
};

describeEachDialect('rollback through the journal', (getStore) => {
  async function synced() {
    const f = createFixture(getStore, { mapping });
    const { l, r, report: first } = await linkedRecord(f, { email: 'r@x.io', city: 'Oslo' });
    f.clock.advance(60_000);
    f.left.edit('contacts', l.id, { city: 'Rome' });
    const second = await syncPair(f.deps);
    expect(f.right.record('members', r.id)?.fields.town).toBe('Rome');
    return { f, l, r, first, second };
  }

  it('by batch: the target gets its value back, journaled and audited as a rollback batch', async () => {
    const { f, r, second } = await synced();
    const dry = await rollback(f.deps, { batchId: second.batchId }, { dryRun: true });
    expect(dry.undone.map((u) => u.fields)).toEqual([[{ key: 'town', now: 'Rome', restored: 'Oslo' }]]);
    expect(f.right.record('members', r.id)?.fields.town).toBe('Rome');

    const done = await rollback(f.deps, { batchId: second.batchId });
    expect(f.right.record('members', r.id)?.fields.town).toBe('Oslo');
    expect(done.batchId).not.toBeNull();
    const audit = await f.deps.store.listAudit({ pair: f.pair, field: 'town' });
    expect(audit.at(-1)).toMatchObject({ reason: 'rollback', old: 'Rome', new: 'Oslo', batchId: done.batchId });
    expect((await f.deps.store.listJournal({ batchId: second.batchId })).map((j) => j.state)).toEqual(['rolled-back']);
    expect((await f.deps.store.listJournal({ batchId: done.batchId! })).map((j) => j.undoes)).toEqual([expect.any(String)]);
  });

  it('a rollback can itself be rolled back', async () => {
    const { f, r, second } = await synced();
    const undo = await rollback(f.deps, { batchId: second.batchId });
    await rollback(f.deps, { batchId: undo.batchId! });
    expect(f.right.record('members', r.id)?.fields.town).toBe('Rome');
  });

  it('a record changed since Concord wrote it is reported and left alone', async () => {
    const { f, r, second } = await synced();
    f.right.edit('members', r.id, { town: 'Paris' });
    const res = await rollback(f.deps, { batchId: second.batchId });
    expect(res.undone).toEqual([]);
    expect(res.changedSince).toEqual([expect.objectContaining({ record: r.id, fields: ['town'] })]);
    expect(f.right.record('members', r.id)?.fields.town).toBe('Paris');
  });

  it('by time range and by link: creates are undone by archiving the record, and the link goes', async () => {
    const { f, l, r, first } = await synced();
    const batches = await f.deps.store.listJournal({ batchId: first.batchId });
    const sinceAll = await rollback(f.deps, { since: batches[0]!.createdAt }, { dryRun: true });
    expect(sinceAll.undone.map((u) => u.op)).toEqual(['delete']);
    const link = (await f.deps.store.findLinkBySide(f.pair, 'left', l.id))!;
    const res = await rollback(f.deps, { linkId: link.id });
    expect(res.undone.map((u) => u.op)).toEqual(['delete']);
    expect(f.right.record('members', r.id)?.deleted).toBe(true);
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', l.id)).toBeUndefined();
  });
});
