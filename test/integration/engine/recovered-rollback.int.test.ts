/**
 * Rollback of writes that start-up recovery resolved (a crash between a write reaching the system and its outcome
 * being committed). Mailchimp makes a member in two requests (the member, then its tags), so a crash can leave a
 * create or an update half done: `twoStep` models that on the in-memory right side.
 */
import { expect, it } from 'vitest';
import type { Connector, WriteOp } from '../../../src/connectors/contract.js';
import { processItems } from '../../../src/engine/process/process-items.js';
import { recoverIntents } from '../../../src/engine/recover/recover-intents.js';
import { rollback } from '../../../src/engine/rollback/rollback.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { asBatchId } from '../../../src/shared/ids.js';
import type { MemoryConnector } from '../../support/memory-connector.js';
import { describeEachDialect } from '../../support/db.js';
import { createFixture, type Fixture } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'city', right: 'town', direction: 'both', conflict: 'last-write-wins' },
    { left: 'tags', right: 'tags', direction: 'both', conflict: 'merge-set' },
  ],
};

/**
 * The right side writes `tags` in a second request after the record itself. `crashNext('between')` makes the next
 * write stop after the first request, as a kill -9 between the two would; `crashNext('after')` after both.
 */
function twoStep(f: Fixture): { crashNext: (at: 'between' | 'after') => void } {
  const inner: MemoryConnector = f.right;
  let crash: 'between' | 'after' | null = null;
  const write: Connector['write'] = async (object, ops, ctx) => {
    const at = crash;
    crash = null;
    const first = ops.map((op): WriteOp => (op.kind === 'delete' ? op : { ...op, fields: withoutTags(op.fields) }));
    const results = await inner.write(object, first, ctx);
    if (at === 'between') throw new Error('simulated crash between the record and its tags');
    const tagged = ops.flatMap((op, i): WriteOp[] => {
      const r = results[i]!;
      if (op.kind === 'delete' || !r.ok || !('tags' in op.fields)) return [];
      return [{ kind: 'update', ref: op.ref, id: r.record.id, fields: { tags: op.fields.tags }, idempotencyKey: `${op.idempotencyKey}:tags` }];
    });
    const second = tagged.length > 0 ? await inner.write(object, tagged, ctx) : [];
    if (at === 'after') throw new Error('simulated crash after the record and its tags');
    return results.map((r) => second.find((s) => s.ref === r.ref) ?? r);
  };
  f.deps.connectors.right = { ...inner, write } as Connector;
  return { crashNext: (at) => { crash = at; } };
}

function withoutTags(fields: Record<string, unknown>): Record<string, unknown> {
  const { tags: _tags, ...rest } = fields;
  return rest;
}

describeEachDialect('rollback of writes recovery resolved after a crash', (getStore) => {
  async function crashedCreate(options: { half?: boolean } = {}) {
    const f = createFixture(getStore, { mapping, rightCapabilities: { optimisticConcurrency: false } });
    const right = twoStep(f);
    const since = f.clock.now().toISOString();
    const l = f.left.put('contacts', { email: 'Crash@x.io', city: 'Lima', tags: ['vip'] });
    right.crashNext(options.half ? 'between' : 'after');
    await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId(`crash-${f.pair}`));
    expect(await f.deps.store.listJournal({ pair: f.pair, states: ['intent'] })).toHaveLength(1);
    const created = f.right.all('members')[0]!;
    expect(created.fields.tags).toEqual(options.half ? undefined : ['vip']);
    return { f, l, created, since };
  }

  it('a create that reached the system whole and was found by recovery is undone by --since', async () => {
    const { f, l, created, since } = await crashedCreate();
    expect((await recoverIntents(f.deps)).applied).toHaveLength(1);

    const res = await rollback(f.deps, { since });
    expect(res.undone).toEqual([expect.objectContaining({ op: 'delete', record: created.id })]);
    expect(f.right.record('members', created.id)?.deleted).toBe(true);
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', l.id)).toBeUndefined();
  });

  it('a create cut short before its tags went is recorded as what landed, and --since undoes it', async () => {
    const { f, created, since } = await crashedCreate({ half: true });
    expect((await recoverIntents(f.deps)).applied).toHaveLength(1);
    const [entry] = await f.deps.store.listJournal({ pair: f.pair, states: ['applied'] });
    expect(entry).toMatchObject({ op: 'create', remoteId: created.id });
    expect(Object.keys(entry!.after).sort()).toEqual(['email_address', 'town']);

    const res = await rollback(f.deps, { since });
    expect(res.changedSince).toEqual([]);
    expect(res.undone).toEqual([expect.objectContaining({ op: 'delete', record: created.id })]);
    expect(f.right.record('members', created.id)?.deleted).toBe(true);
  });

  it('the same after the next sync sent the missing tags: both writes are undone and the member goes', async () => {
    const { f, l, created, since } = await crashedCreate({ half: true });
    f.clock.advance(60_000);
    await syncPair(f.deps);
    expect(f.right.record('members', created.id)?.fields.tags).toEqual(['vip']);
    expect(f.right.createCount('members')).toBe(1);

    const res = await rollback(f.deps, { since });
    expect(res.changedSince).toEqual([]);
    expect(res.undone).toEqual([expect.objectContaining({ op: 'delete', record: created.id })]);
    expect(f.right.record('members', created.id)?.deleted).toBe(true);
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', l.id)).toBeUndefined();
  });

  it('a create recovery could not decide (two records carry its match key) is listed as undecided, and nothing is deleted', async () => {
    const { f, created, since } = await crashedCreate();
    const other = f.right.put('members', { email_address: 'crash@x.io', town: 'Quito' });
    const recovery = await recoverIntents(f.deps);
    expect(recovery.unknown).toEqual([expect.objectContaining({ why: expect.stringContaining('2 records carry email_address') })]);

    const res = await rollback(f.deps, { since });
    expect(res.undone).toEqual([]);
    expect(res.undecided).toEqual([{
      journalId: recovery.unknown[0]!.id, system: 'mail', record: null, op: 'create',
      why: expect.stringMatching(/^recovery could not tell whether this create reached mail \(2 records carry email_address/),
    }]);
    expect(f.right.record('members', created.id)?.deleted).toBeUndefined();
    expect(f.right.record('members', other.id)?.deleted).toBeUndefined();
  });

  async function linked() {
    const f = createFixture(getStore, { mapping, rightCapabilities: { optimisticConcurrency: false } });
    const right = twoStep(f);
    const l = f.left.put('contacts', { email: 'u@x.io', city: 'Oslo', tags: ['a'] });
    await syncPair(f.deps);
    const r = f.right.all('members')[0]!;
    expect(r.fields).toMatchObject({ town: 'Oslo', tags: ['a'] });
    f.clock.advance(60_000);
    return { f, l, r, right, since: f.clock.now().toISOString() };
  }

  it('an update cut short before its tags went is applied for what landed; rollback restores that and reports nothing changed', async () => {
    const { f, l, r, right, since } = await linked();
    f.left.edit('contacts', l.id, { city: 'Rome', tags: ['a', 'b'] });
    right.crashNext('between');
    await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId(`half-${f.pair}`));
    expect(f.right.record('members', r.id)?.fields).toMatchObject({ town: 'Rome', tags: ['a'] });

    const recovery = await recoverIntents(f.deps);
    expect(recovery).toMatchObject({ applied: [expect.any(String)], unknown: [] });
    expect((await f.deps.store.getJournal(recovery.applied[0]!))?.after).toEqual({ town: 'Rome' });

    const res = await rollback(f.deps, { since });
    expect(res).toMatchObject({ changedSince: [], undecided: [], failed: [] });
    expect(res.undone).toEqual([expect.objectContaining({ record: r.id, fields: [{ key: 'town', now: 'Rome', restored: 'Oslo' }] })]);
    expect(f.right.record('members', r.id)?.fields).toMatchObject({ town: 'Oslo', tags: ['a'] });
  });

  it('an update recovery could not decide (the record changed since) is listed as undecided and the person\'s value stays', async () => {
    const { f, l, r, right, since } = await linked();
    f.left.edit('contacts', l.id, { city: 'Rome' });
    right.crashNext('after');
    await processItems(f.deps, [{ side: 'left', id: l.id }], asBatchId(`lost-${f.pair}`));
    f.right.edit('members', r.id, { town: 'Paris' });
    const recovery = await recoverIntents(f.deps);
    expect(recovery.unknown).toEqual([expect.objectContaining({ why: expect.stringContaining('neither the values before nor the values written (town)') })]);

    const res = await rollback(f.deps, { since });
    expect(res.undone).toEqual([]);
    expect(res.undecided).toEqual([expect.objectContaining({ journalId: recovery.unknown[0]!.id, record: r.id, op: 'update' })]);
    expect(f.right.record('members', r.id)?.fields.town).toBe('Paris');
  });

  it('an intent still open (recovery has not run) is listed as undecided, not skipped', async () => {
    const { f, created, since } = await crashedCreate();
    const res = await rollback(f.deps, { since });
    expect(res.undone).toEqual([]);
    expect(res.undecided).toEqual([expect.objectContaining({ system: 'mail', record: null, op: 'create', why: expect.stringContaining('not known yet') })]);
    expect(f.right.record('members', created.id)?.deleted).toBeUndefined();
  });
});
