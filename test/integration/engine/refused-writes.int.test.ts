import { expect, it } from 'vitest';
import type { WriteOp } from '../../../src/connectors/contract.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { describeEachDialect } from '../../support/db.js';
import { createFixture } from './engine-fixture.js';

/** The right side owns consent; the left refuses, every time, an update that clears `optout` (as HubSpot does). */
const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: false, to_left: false },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'optout', right: 'optout', direction: 'both', conflict: 'prefer-right' },
    { left: 'city', right: 'town', direction: 'both', conflict: 'last-write-wins' },
  ],
};

const clearsOptout = (op: WriteOp) => op.kind === 'update' && op.fields.optout === false;

describeEachDialect('a write the target refuses for good', (getStore) => {
  function world() {
    const f = createFixture(getStore, { mapping });
    const l = f.left.put('contacts', { email: 'dave@x.io', optout: true, city: 'Oslo' });
    const r = f.right.put('members', { email_address: 'dave@x.io', optout: false, town: 'Oslo' });
    f.left.failOn({ kind: 'validation', match: clearsOptout, times: 1_000 });
    const refusedWrites = () => f.left.writeCalls.flatMap((c) => c.ops).filter(clearsOptout).length;
    const failedJournal = async () => (await f.deps.store.listJournal({ pair: f.pair, states: ['failed'] })).length;
    return { f, l, r, refusedWrites, failedJournal };
  }

  it('is sent once, journaled as failed, reported once naming record, field and reason, and the sync is quiescent', async () => {
    const { f, l, refusedWrites, failedJournal } = world();
    const first = await syncPair(f.deps);
    expect(first.quiescent).toBe(true);
    expect(refusedWrites()).toBe(1);
    expect(first.problems).toEqual([{ key: `left:${l.id}`, outcome: 'refused', notes: [expect.stringContaining(`optout on crm ${l.id}: refused for good (validation: injected validation)`)] }]);
    const journal = await f.deps.store.listJournal({ pair: f.pair, states: ['failed'] });
    expect(journal.map((j) => j.error)).toEqual(['validation: injected validation']);
    expect(f.left.record('contacts', l.id)?.fields.optout).toBe(true);

    const again = await syncPair(f.deps);
    expect(again.quiescent).toBe(true);
    expect(again.writes).toEqual({ left: 0, right: 0 });
    expect(again.problems).toEqual([]);
    expect(refusedWrites()).toBe(1);
    expect(await failedJournal()).toBe(1);
  });

  it('a record listed again (its other side edited) does not resend it, while its other fields still converge', async () => {
    const { f, l, r, refusedWrites, failedJournal } = world();
    await syncPair(f.deps);
    f.clock.advance(60_000);
    f.right.edit('members', r.id, { town: 'Bergen' });
    const report = await syncPair(f.deps);
    expect(report.quiescent).toBe(true);
    expect(report.problems).toEqual([]);
    expect(f.left.record('contacts', l.id)?.fields).toMatchObject({ city: 'Bergen', optout: true });
    expect(refusedWrites()).toBe(1);
    expect(await failedJournal()).toBe(1);
  });

  it('is decided afresh once a side changes the field: agreement drops it, a new value is tried and may be refused again', async () => {
    const { f, l, r, refusedWrites } = world();
    await syncPair(f.deps);
    // The contact opts back in on the left: both sides agree, nothing is written, nothing reported.
    f.clock.advance(60_000);
    f.left.edit('contacts', l.id, { optout: false });
    const agreed = await syncPair(f.deps);
    expect(agreed.problems).toEqual([]);
    expect(agreed.writes).toEqual({ left: 0, right: 0 });
    // Opted out on the right: that goes through. Subscribed again on the right: tried once more, refused, reported.
    f.clock.advance(60_000);
    f.right.edit('members', r.id, { optout: true });
    await syncPair(f.deps);
    expect(f.left.record('contacts', l.id)?.fields.optout).toBe(true);
    f.clock.advance(60_000);
    f.right.edit('members', r.id, { optout: false });
    const refusedAgain = await syncPair(f.deps);
    expect(refusedAgain.quiescent).toBe(true);
    expect(refusedAgain.problems.map((p) => p.outcome)).toEqual(['refused']);
    expect(refusedWrites()).toBe(2);
  });

  it('a retryable failure is still tried again in the same run', async () => {
    const f = createFixture(getStore, { mapping });
    f.left.put('contacts', { email: 'erin@x.io', optout: false, city: 'Oslo' });
    f.clock.advance(60_000);
    const r = f.right.put('members', { email_address: 'erin@x.io', optout: false, town: 'Rome' });
    f.left.failOn({ kind: 'retryable', match: (op) => op.kind === 'update', times: 1 });
    const report = await syncPair(f.deps);
    expect(report.problems).toEqual([]);
    expect(f.left.all('contacts')[0]?.fields.city).toBe('Rome');
    expect(f.right.record('members', r.id)?.fields.town).toBe('Rome');
  });
});
