import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { processItems } from '../../../src/engine/process/process-items.js';
import { recoverIntents } from '../../../src/engine/recover/recover-intents.js';
import { resolveConflict } from '../../../src/engine/conflicts/resolve-conflict.js';
import { asBatchId } from '../../../src/shared/ids.js';
import { compileTestMapping, conflictedLink, createFixture, linkedRecord, uniquePair } from './engine-fixture.js';

const HOUR = 3_600_000;

function mappingWith(conflict: unknown, extra: Record<string, unknown> = {}) {
  return {
    match: { left: 'email', right: 'email_address', normalize: 'email' },
    create: { to_right: true, to_left: true },
    fields: [
      { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
      { left: 'city', right: 'town', direction: 'both', conflict: 'last-write-wins' },
      { left: 'score', right: 'points', direction: 'both', conflict },
    ],
    ...extra,
  };
}

describeEachDialect('processing work items', (getStore) => {
  async function linked(conflict: unknown, options: { fieldTimes?: boolean } = {}) {
    const f = createFixture(getStore, { mapping: mappingWith(conflict), ...options });
    return { f, ...await linkedRecord(f, { email: 'a@x.io', city: 'Oslo', score: 10 }) };
  }

  for (const [strategy, expectLeft] of [['prefer-left', 11], ['prefer-right', 12], ['max', 12], ['min', 11], ['sum-deltas', 13]] as const) {
    it(`${strategy}: both sides changed a field, the strategy settles it on both sides and the audit says so`, async () => {
      const { f, l, r } = await linked(strategy);
      f.clock.advance(60_000);
      f.left.edit('contacts', l.id, { score: 11 });
      f.clock.advance(60_000);
      f.right.edit('members', r.id, { points: 12 });
      await syncPair(f.deps);
      expect(f.left.record('contacts', l.id)?.fields.score).toBe(expectLeft);
      expect(f.right.record('members', r.id)?.fields.points).toBe(expectLeft);
      const rows = await f.deps.store.listAudit({ pair: f.pair, field: strategy === 'prefer-left' || strategy === 'min' ? 'points' : 'score' });
      expect(rows.at(-1)).toMatchObject({ reason: 'conflict', strategy, new: expectLeft });
    });
  }

  it('merge-set: additions and removals from both sides are all kept', async () => {
    const f = createFixture(getStore, {
      mapping: { ...mappingWith('prefer-left'), fields: [
        { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
        { left: 'tags', right: 'labels', direction: 'both', conflict: 'merge-set' },
      ] },
    });
    const { l, r } = await linkedRecord(f, { email: 't@x.io', tags: ['a', 'b'] });
    f.left.edit('contacts', l.id, { tags: ['a', 'b', 'c'] });
    f.right.edit('members', r.id, { labels: ['b', 'd'] });
    await syncPair(f.deps);
    expect([...(f.left.record('contacts', l.id)!.fields.tags as string[])].sort()).toEqual(['b', 'c', 'd']);
    expect([...(f.right.record('members', r.id)!.fields.labels as string[])].sort()).toEqual(['b', 'c', 'd']);
  });

  it('fill-empty: an empty side is filled, two different values are both kept', async () => {
    const f = createFixture(getStore, {
      mapping: { ...mappingWith('prefer-left'), fields: [
        { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
        { left: 'phone', right: 'tel', direction: 'both', conflict: 'fill-empty' },
        { left: 'city', right: 'town', direction: 'both', conflict: 'fill-empty' },
      ] },
    });
    const l = f.left.put('contacts', { email: 'fe@x.io', city: 'Oslo' });
    const r = f.right.put('members', { email_address: 'fe@x.io', tel: '+4712345678', town: 'Bergen' });
    await syncPair(f.deps);
    expect(f.left.record('contacts', l.id)?.fields).toMatchObject({ phone: '+4712345678', city: 'Oslo' });
    expect(f.right.record('members', r.id)?.fields).toMatchObject({ tel: '+4712345678', town: 'Bergen' });
  });

  it('last-write-wins: the later per-field change wins, whichever side it is on', async () => {
    const { f, l, r } = await linked('last-write-wins', { fieldTimes: true });
    f.clock.advance(60_000);
    f.right.edit('members', r.id, { points: 30 });
    f.clock.advance(60_000);
    f.left.edit('contacts', l.id, { score: 20 });
    await syncPair(f.deps);
    expect(f.right.record('members', r.id)?.fields.points).toBe(20);
  });

  it('manual: the field is held with a conflict row while other fields go on; the fallback settles it after its time', async () => {
    const { f, l, r } = await linked({ strategy: 'manual', fallback: 'prefer-right', after: '1h' });
    f.clock.advance(60_000);
    f.left.edit('contacts', l.id, { score: 1, city: 'Bergen' });
    f.right.edit('members', r.id, { points: 2 });
    await syncPair(f.deps);
    expect(f.right.record('members', r.id)?.fields.town).toBe('Bergen');
    expect(f.left.record('contacts', l.id)?.fields.score).toBe(1);
    expect(f.right.record('members', r.id)?.fields.points).toBe(2);
    const open = await f.deps.store.listConflicts({ pair: f.pair, state: 'open' });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ field: 'score~points', left: 1, right: 2 });

    await syncPair(f.deps);
    expect(await f.deps.store.listConflicts({ pair: f.pair, state: 'open' })).toHaveLength(1);

    f.clock.advance(2 * HOUR);
    await syncPair(f.deps);
    expect(f.left.record('contacts', l.id)?.fields.score).toBe(2);
    expect(await f.deps.store.listConflicts({ pair: f.pair, state: 'open' })).toHaveLength(0);
    const rows = await f.deps.store.listAudit({ pair: f.pair, field: 'score' });
    expect(rows.at(-1)).toMatchObject({ reason: 'conflict', strategy: 'manual -> prefer-right', old: 1, new: 2 });
  });

  it('a stale-version answer sends the item back to the read step, and the concurrent edit is kept', async () => {
    const { f, l, r } = await linked('prefer-left');
    f.clock.advance(60_000);
    f.left.edit('contacts', l.id, { city: 'Rome' });
    let raced = false;
    f.right.failOn({
      kind: 'permanent',
      match: (op) => {
        // Someone edits the target between Concord's read and its write: the version no longer matches.
        if (!raced && op.kind === 'update') { raced = true; f.right.edit('members', r.id, { points: 99 }); }
        return false;
      },
    });
    await syncPair(f.deps);
    expect(f.right.record('members', r.id)?.fields).toMatchObject({ town: 'Rome', points: 99 });
    expect(f.left.record('contacts', l.id)?.fields).toMatchObject({ city: 'Rome', score: 99 });
    const failed = await f.deps.store.listJournal({ pair: f.pair, states: ['failed'] });
    expect(failed.map((j) => j.error)).toEqual([expect.stringContaining('stale-version')]);
  });

  it('one failed item in a batch fails alone; the others commit, and the failed one is created next time', async () => {
    const f = createFixture(getStore, { mapping: mappingWith('prefer-left'), rightCapabilities: { maxWriteBatch: 5 } });
    const ids = [1, 2, 3].map((n) => f.left.put('contacts', { email: `n${n}@x.io`, city: 'X', score: n }).id);
    f.right.failOn({ kind: 'validation', match: (op) => op.kind === 'create' && op.fields.email_address === 'n2@x.io' });
    const { results } = await processItems(f.deps, ids.map((id) => ({ side: 'left' as const, id })), asBatchId(`b-${f.pair}`));
    expect(f.right.writeCalls).toHaveLength(1);
    expect(f.right.writeCalls[0]!.ops).toHaveLength(3);
    expect(results.map((r) => r.outcome)).toEqual(['committed', 'failed', 'committed']);
    expect(f.right.all('members').map((m) => m.fields.email_address).sort()).toEqual(['n1@x.io', 'n3@x.io']);
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', ids[1]!)).toBeUndefined();
    expect((await f.deps.store.listJournal({ pair: f.pair, states: ['failed'] })).map((j) => j.error)).toEqual([expect.stringContaining('validation')]);

    await syncPair(f.deps);
    expect(f.right.all('members').map((m) => m.fields.email_address).sort()).toEqual(['n1@x.io', 'n2@x.io', 'n3@x.io']);
    expect(f.right.createCount('members')).toBe(3);
  });

  it('writes are grouped into the target batch size', async () => {
    const f = createFixture(getStore, { mapping: mappingWith('prefer-left'), rightCapabilities: { maxWriteBatch: 2 } });
    for (const n of [1, 2, 3, 4, 5]) f.left.put('contacts', { email: `b${n}@x.io`, score: n });
    await syncPair(f.deps);
    expect(f.right.writeCalls.map((c) => c.ops.length)).toEqual([2, 2, 1]);
  });

  it('crash after a create reached the system: recovery finds it by match key, links it, and nothing is created twice', async () => {
    const f = createFixture(getStore, { mapping: mappingWith('prefer-left') });
    const l = f.left.put('contacts', { email: 'Crash@x.io', city: 'Lima', score: 5 });
    f.right.crashAfterNextWrite();
    await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId('crash-batch'));
    expect(await f.deps.store.listJournal({ pair: f.pair, states: ['intent'] })).toHaveLength(1);
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', l.id)).toBeUndefined();

    const recovery = await recoverIntents(f.deps);
    expect(recovery.applied).toHaveLength(1);
    const link = await f.deps.store.findLinkBySide(f.pair, 'left', l.id);
    expect(link?.rightId).toBe(f.right.all('members')[0]!.id);
    await syncPair(f.deps);
    expect(f.right.createCount('members')).toBe(1);
    expect(await f.deps.store.listJournal({ pair: f.pair, states: ['intent'] })).toHaveLength(0);
  });

  it('crash around an update: recovery marks it applied when the target holds the new values, not applied when it holds the old', async () => {
    const { f, l, r } = await linked('prefer-left');
    const other = await linkedRecord(f, { email: 'b@x.io', city: 'Oslo', score: 10 });
    f.left.edit('contacts', l.id, { city: 'Quito' });
    f.right.crashAfterNextWrite();
    await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId(`c1-${f.pair}`));
    f.left.edit('contacts', other.l.id, { city: 'Lagos' });
    f.right.crashBeforeNextWrite();
    await processItems(f.deps, [{ side: 'left', id: other.l.id }], asBatchId(`c2-${f.pair}`));
    expect(await f.deps.store.listJournal({ pair: f.pair, states: ['intent'] })).toHaveLength(2);

    const recovery = await recoverIntents(f.deps);
    expect(recovery.applied).toHaveLength(1);
    expect(recovery.notApplied).toHaveLength(1);
    const audit = await f.deps.store.listAudit({ pair: f.pair, field: 'town' });
    expect(audit.at(-1)).toMatchObject({ new: 'Quito', strategy: 'recovered: the answer was lost' });
    await syncPair(f.deps);
    expect(f.right.record('members', r.id)?.fields.town).toBe('Quito');
    expect(f.right.record('members', other.r.id)?.fields.town).toBe('Lagos');
  });

  it('a write whose answer was lost is decided before its record is worked on again in the same process', async () => {
    const { f, l, r } = await linked('prefer-left');
    f.left.edit('contacts', l.id, { city: 'Quito' });
    f.right.crashAfterNextWrite();
    await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId(`lost-${f.pair}`));
    expect(await f.deps.store.listJournal({ pair: f.pair, states: ['intent'] })).toHaveLength(1);
    // An intent of another record stays open: it may still be in flight for whoever works on that one.
    const other = f.left.put('contacts', { email: 'other@x.io', city: 'Oslo', score: 1 });
    f.right.crashBeforeNextWrite();
    await processItems(f.deps, [{ side: 'left', id: other.id }], asBatchId(`other-${f.pair}`));

    f.left.edit('contacts', l.id, { city: 'Lagos' });
    const again = await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId(`again-${f.pair}`));
    expect(again.results.map((x) => x.outcome)).toEqual(['committed']);
    const open = await f.deps.store.listJournal({ pair: f.pair, states: ['intent'] });
    expect(open.map((e) => e.createdFrom)).toEqual([other.id]);
    const towns = (await f.deps.store.listAudit({ pair: f.pair, field: 'town' })).filter((a) => a.record === r.id);
    expect(towns.slice(-2)).toMatchObject([{ new: 'Quito', strategy: 'recovered: the answer was lost' }, { new: 'Lagos' }]);
    expect(f.right.record('members', r.id)?.fields.town).toBe('Lagos');
  });

  it('a record whose lookup reference is not linked yet waits, then goes through once the reference is linked', async () => {
    const companies = uniquePair('co');
    const companyMapping = compileTestMapping(companies, {
      match: { left: 'domain', right: 'domain', normalize: 'lowercase' },
      fields: [{ left: 'domain', right: 'domain', direction: 'both' }],
    });
    const f = createFixture(getStore, {
      mapping: {
        match: { left: 'email', right: 'email_address', normalize: 'email' },
        create: { to_right: true },
        fields: [
          { left: 'email', right: 'email_address', direction: 'both' },
          { left: 'company_id', right: 'org', direction: 'left-to-right', transform: { lookup: companies } },
        ],
      },
      others: [companyMapping],
    });
    const l = f.left.put('contacts', { email: 'w@x.io', company_id: 'C-1' });
    const waiting = await syncPair(f.deps);
    expect(waiting.problems).toEqual([expect.objectContaining({ outcome: 'waiting', key: `left:${l.id}` })]);
    expect(f.right.all('members')).toHaveLength(0);

    await f.deps.store.insertLink({ pair: companies, leftId: 'C-1' as never, rightId: 'ORG-9' as never, matchKey: null });
    await syncPair(f.deps);
    expect(f.right.all('members').map((m) => m.fields)).toEqual([{ email_address: 'w@x.io', org: 'ORG-9' }]);
  });
});

describeEachDialect('manual conflict resolution', (getStore) => {
  it('take right: the choice is written to the left, journaled, audited as a manual resolution, and the conflict closes', async () => {
    const f = createFixture(getStore, { mapping: mappingWith('manual') });
    const { l, conflict } = await conflictedLink(f, { email: 'm@x.io', score: 1 }, { left: { score: 5 }, right: { points: 7 } });
    const res = await resolveConflict(f.deps, conflict.id, { take: 'right' });
    expect(res).toMatchObject({ ok: true, value: 7, writes: 1 });
    expect(f.left.record('contacts', l.id)?.fields.score).toBe(7);
    expect((await f.deps.store.getConflict(conflict.id))).toMatchObject({ state: 'resolved', resolution: 'manual: take right' });
    const audit = await f.deps.store.listAudit({ pair: f.pair, field: 'score' });
    expect(audit.at(-1)).toMatchObject({ reason: 'manual-resolution', old: 5, new: 7 });
    // Agreed now: the next sync writes nothing and opens nothing.
    const again = await syncPair(f.deps);
    expect(again.writes).toEqual({ left: 0, right: 0 });
    expect(await f.deps.store.listConflicts({ pair: f.pair, state: 'open' })).toHaveLength(0);
    expect(await resolveConflict(f.deps, conflict.id, { take: 'left' })).toMatchObject({ ok: false, code: 'CONCORD_ERR_ENGINE_CONFLICT_NOT_OPEN' });
  });

  it('take a value of the operator: both sides receive it', async () => {
    const f = createFixture(getStore, { mapping: mappingWith('manual') });
    const { l, r, conflict } = await conflictedLink(f, { email: 'v@x.io', score: 1 }, { left: { score: 5 }, right: { points: 7 } });
    expect(await resolveConflict(f.deps, conflict.id, { take: 'value', value: 6 })).toMatchObject({ ok: true, writes: 2 });
    expect(f.left.record('contacts', l.id)?.fields.score).toBe(6);
    expect(f.right.record('members', r.id)?.fields.points).toBe(6);
  });
});
