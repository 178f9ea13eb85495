import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { createFixture } from './engine-fixture.js';

const contacts = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: false },
  filter: { left: "lifecyclestage = 'customer'" },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'firstname', right: 'merge_fields.FNAME', direction: 'both', conflict: 'last-write-wins' },
  ],
};

describeEachDialect('identity linking and creates', (getStore) => {
  it('links records whose emails differ only in case and spaces, and writes nothing when they agree', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    const l = f.left.put('contacts', { email: ' Ann@Example.COM', firstname: 'Ann', lifecyclestage: 'lead' });
    const r = f.right.put('members', { email_address: 'ann@example.com', merge_fields: { FNAME: 'Ann' } });
    const report = await syncPair(f.deps);
    const link = await f.deps.store.findLinkBySide(f.pair, 'left', l.id);
    expect(link?.rightId).toBe(r.id);
    expect(link?.matchKey).toBe('email:ann@example.com');
    expect(f.right.createCount('members')).toBe(0);
    // prefer-left on a new link: the email is written as the left holds it; the name already agrees.
    expect(f.right.record('members', r.id)?.fields.merge_fields).toEqual({ FNAME: 'Ann' });
    expect(report.quiescent).toBe(true);
  });

  it('creates a record on the right only when the left filter passes, carrying the match key', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    const customer = f.left.put('contacts', { email: 'bo@example.com', firstname: 'Bo', lifecyclestage: 'customer' });
    f.left.put('contacts', { email: 'cy@example.com', firstname: 'Cy', lifecyclestage: 'lead' });
    const report = await syncPair(f.deps);
    const members = f.right.all('members');
    expect(members).toHaveLength(1);
    expect(members[0]!.fields).toEqual({ email_address: 'bo@example.com', merge_fields: { FNAME: 'Bo' } });
    const link = await f.deps.store.findLinkBySide(f.pair, 'left', customer.id);
    expect(link?.rightId).toBe(members[0]!.id);
    expect(report.problems.map((p) => p.outcome)).toEqual(['skipped']);
    const audit = await f.deps.store.listAudit({ pair: f.pair });
    expect(audit.map((a) => [a.field, a.new, a.reason])).toEqual([
      ['email_address', 'bo@example.com', 'created'],
      ['merge_fields.FNAME', 'Bo', 'created'],
    ]);
  });

  it('reports two left records with the same normalised email as a duplicate and links neither', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    const a = f.left.put('contacts', { email: 'dup@example.com', firstname: 'A', lifecyclestage: 'customer' });
    const b = f.left.put('contacts', { email: 'DUP@example.com ', firstname: 'B', lifecyclestage: 'customer' });
    const right = f.right.put('members', { email_address: 'dup@example.com', merge_fields: { FNAME: 'X' } });
    const report = await syncPair(f.deps);
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', a.id)).toBeUndefined();
    expect(await f.deps.store.findLinkBySide(f.pair, 'left', b.id)).toBeUndefined();
    expect(f.right.all('members')).toHaveLength(1);
    const dups = report.problems.filter((p) => p.outcome === 'duplicate');
    // Both left records, and the right record that matches both of them.
    expect(dups.map((d) => d.key).sort()).toEqual([`left:${a.id}`, `left:${b.id}`, `right:${right.id}`].sort());
    expect(dups[0]!.notes[0]).toContain('share the match key email = "dup@example.com"');
    expect(await f.deps.store.findLinkBySide(f.pair, 'right', right.id)).toBeUndefined();
  });

  it('a value the target does not keep is reported, and its loss never flows back to the source', async () => {
    const f = createFixture(getStore, { mapping: contacts, rightDropsOnWrite: ['merge_fields'] });
    const l = f.left.put('contacts', { email: 'k@x.io', firstname: 'Kim', lifecyclestage: 'lead' });
    f.right.put('members', { email_address: 'k@x.io' });
    const report = await syncPair(f.deps);
    expect(report.problems).toEqual([expect.objectContaining({
      outcome: 'not-kept', notes: [expect.stringContaining('merge_fields.FNAME: wrote "Kim", the system kept nothing')],
    })]);
    await syncPair(f.deps);
    expect(f.left.record('contacts', l.id)?.fields.firstname).toBe('Kim');
    expect(f.left.writeCalls).toHaveLength(0);
  });

  it('echo suppression: the changes Concord caused come back as no-ops and the pass ends', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    f.left.put('contacts', { email: 'eve@example.com', firstname: 'Eve', lifecyclestage: 'customer' });
    await syncPair(f.deps);
    const writes = f.right.writeCalls.length;
    const again = await syncPair(f.deps);
    expect(f.right.writeCalls.length).toBe(writes);
    expect(f.left.writeCalls.length).toBe(0);
    expect(again.writes).toEqual({ left: 0, right: 0 });
  });
});

describe('fixture sanity', () => {
  it('the memory connector refuses a stale ifVersion', async () => {
    const { createMemoryConnector } = await import('../../support/memory-connector.js');
    const { createManualClock } = await import('../../../src/shared/clock.js');
    const c = createMemoryConnector({ system: 'x', clock: createManualClock(), objects: ['o'] });
    const r = c.put('o', { a: 1 });
    c.edit('o', r.id, { a: 2 });
    const [res] = await c.write('o', [{ kind: 'update', ref: '1', id: r.id, fields: { a: 3 }, ifVersion: r.version, idempotencyKey: 'k' }], {} as never);
    expect(res).toMatchObject({ ok: false, error: { kind: 'stale-version' } });
  });
});
