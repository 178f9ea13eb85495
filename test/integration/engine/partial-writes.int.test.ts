import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { rollback } from '../../../src/engine/rollback/rollback.js';
import { createFixture, linkedRecord, type Fixture } from './engine-fixture.js';

/**
 * A linked record edited on both sides, then one pass in which the update of the right record fails once, as a
 * passing per-item failure the system reports for that record (a refusal for good is not retried at all): the
 * merged value lands on the left only.
 */
async function writtenOnLeftOnly(f: Fixture, fields: Record<string, unknown>, edits: { left: Record<string, unknown>; right: Record<string, unknown> }) {
  const { l, r } = await linkedRecord(f, fields);
  f.clock.advance(60_000);
  f.left.edit('contacts', l.id, edits.left);
  f.right.edit('members', r.id, edits.right);
  f.right.failOn({ kind: 'retryable', match: (op) => op.kind === 'update' && op.id === r.id, times: 1 });
  const partial = await syncPair(f.deps, { maxPasses: 1 });
  return { l, r, partial };
}

const fields = (conflict: string, left: string, right: string) => ({
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: false },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left, right, direction: 'both', conflict },
  ],
});

describeEachDialect('a write that lands on one side only', (getStore) => {
  it('sum-deltas: after the right write fails and is retried, both sides hold the base plus both deltas, each once', async () => {
    const f = createFixture(getStore, { mapping: fields('sum-deltas', 'stock', 'qty') });
    // One sold on the left, two on the right.
    const { l, r, partial: first } = await writtenOnLeftOnly(f, { email: 's@x.io', stock: 10 }, { left: { stock: 9 }, right: { qty: 8 } });
    expect(r.fields.qty).toBe(10);
    expect(first.counts.failed).toBe(1);
    expect(f.left.record('contacts', l.id)?.fields.stock).toBe(7);
    expect(f.right.record('members', r.id)?.fields.qty).toBe(8);

    // Meanwhile one more is sold on the right, before the retry.
    f.clock.advance(60_000);
    f.right.edit('members', r.id, { qty: 7 });
    const second = await syncPair(f.deps);
    expect(second.quiescent).toBe(true);
    expect(f.left.record('contacts', l.id)?.fields.stock).toBe(6);
    expect(f.right.record('members', r.id)?.fields.qty).toBe(6);
  });

  it('merge-set: what the right removed after the failed write stays removed, and both sides\' additions are kept', async () => {
    const f = createFixture(getStore, { mapping: fields('merge-set', 'tags', 'labels') });
    const { l, r } = await writtenOnLeftOnly(f, { email: 't@x.io', tags: ['a', 'b'] }, { left: { tags: ['a', 'b', 'c'] }, right: { labels: ['a', 'b', 'd'] } });
    expect([...(f.left.record('contacts', l.id)!.fields.tags as string[])].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(f.right.record('members', r.id)?.fields.labels).toEqual(['a', 'b', 'd']);

    // The right user takes back the tag they added, and removes another, before the retry.
    f.clock.advance(60_000);
    f.right.edit('members', r.id, { labels: ['b'] });
    await syncPair(f.deps);
    expect([...(f.left.record('contacts', l.id)!.fields.tags as string[])].sort()).toEqual(['b', 'c']);
    expect([...(f.right.record('members', r.id)!.fields.labels as string[])].sort()).toEqual(['b', 'c']);
  });

  it('with no edit in between, the retry sends the agreed value to the side that missed it and nothing else changes', async () => {
    const f = createFixture(getStore, { mapping: fields('sum-deltas', 'stock', 'qty') });
    const { l, r } = await writtenOnLeftOnly(f, { email: 'n@x.io', stock: 10 }, { left: { stock: 12 }, right: { qty: 11 } });
    await syncPair(f.deps);
    expect(f.left.record('contacts', l.id)?.fields.stock).toBe(13);
    expect(f.right.record('members', r.id)?.fields.qty).toBe(13);
    const audit = await f.deps.store.listAudit({ pair: f.pair, field: 'qty' });
    expect(audit.at(-1)).toMatchObject({ new: 13 });
  });

  it('rolling back the side that did land leaves the other side as its user left it: the missed value is not sent later', async () => {
    const f = createFixture(getStore, { mapping: fields('sum-deltas', 'stock', 'qty') });
    const { l, r, partial } = await writtenOnLeftOnly(f, { email: 'r@x.io', stock: 10 }, { left: { stock: 9 }, right: { qty: 8 } });
    expect(f.left.record('contacts', l.id)?.fields.stock).toBe(7);

    const undo = await rollback(f.deps, { batchId: partial.batchId });
    expect(undo.undone).toHaveLength(1);
    expect(f.left.record('contacts', l.id)?.fields.stock).toBe(9);
    const after = await syncPair(f.deps);
    expect(after.quiescent).toBe(true);
    expect(f.left.record('contacts', l.id)?.fields.stock).toBe(9);
    expect(f.right.record('members', r.id)?.fields.qty).toBe(8);
  });
});
