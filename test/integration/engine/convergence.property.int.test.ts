/**
 * Convergence (DESIGN §7) as a property: random edits and creates on both in-memory systems, interleaved with sync
 * passes, deletes archived across, and writes cut short before or after they reach a system; after a final sync to quiescence both sides agree on every two-way field of
 * every link, every live record is linked, and nothing was created twice.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { createFixture } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true, to_left: true },
  delete: 'archive',
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left', transform: 'email' },
    { left: 'name', right: 'full_name', direction: 'both', conflict: 'last-write-wins' },
    { left: 'score', right: 'points', direction: 'both', conflict: 'max' },
    { left: 'tags', right: 'labels', direction: 'both', conflict: 'merge-set' },
    { left: 'stock', right: 'qty', direction: 'both', conflict: 'sum-deltas' },
  ],
};

type Side = 'left' | 'right';
type Cmd =
  | { kind: 'create'; side: Side; email: number; name: string; score: number; tags: string[]; stock: number }
  | { kind: 'edit'; side: Side; target: number; field: 'name' | 'score' | 'tags' | 'stock'; value: unknown }
  | { kind: 'remove'; side: Side; target: number }
  | { kind: 'crash'; side: Side; after: boolean }
  | { kind: 'sync' }
  | { kind: 'tick'; ms: number };

const side = fc.constantFrom<Side>('left', 'right');
const name = fc.constantFrom('Ann', 'Bo', 'Cy', 'Di');
const tags = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), side, email: fc.integer({ min: 0, max: 5 }), name, score: fc.integer({ min: 0, max: 100 }), tags, stock: fc.integer({ min: 0, max: 50 }) }),
  fc.oneof(
    fc.record({ kind: fc.constant('edit' as const), side, target: fc.nat(20), field: fc.constant('name' as const), value: name }),
    fc.record({ kind: fc.constant('edit' as const), side, target: fc.nat(20), field: fc.constant('score' as const), value: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ kind: fc.constant('edit' as const), side, target: fc.nat(20), field: fc.constant('tags' as const), value: tags }),
    fc.record({ kind: fc.constant('edit' as const), side, target: fc.nat(20), field: fc.constant('stock' as const), value: fc.integer({ min: 0, max: 50 }) }),
  ),
  fc.record({ kind: fc.constant('remove' as const), side, target: fc.nat(20) }),
  fc.record({ kind: fc.constant('crash' as const), side, after: fc.boolean() }),
  fc.constant({ kind: 'sync' as const }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 120_000 }) }),
);

const fieldNames = { left: { name: 'name', score: 'score', tags: 'tags', stock: 'stock' }, right: { name: 'full_name', score: 'points', tags: 'labels', stock: 'qty' } } as const;

async function runCommands(f: ReturnType<typeof createFixture>, cmds: Cmd[]): Promise<void> {
  const systems = { left: f.left, right: f.right };
  const objects = { left: 'contacts', right: 'members' } as const;
  for (const c of cmds) {
    if (c.kind === 'tick') f.clock.advance(c.ms);
    else if (c.kind === 'sync') await syncPair(f.deps);
    else if (c.kind === 'crash') {
      // The next write call to that side dies: before it reaches the system, or after (its answer lost).
      if (c.after) systems[c.side].crashAfterNextWrite();
      else systems[c.side].crashBeforeNextWrite();
    } else if (c.kind === 'remove') {
      const live = systems[c.side].all(objects[c.side]);
      if (live.length > 0) systems[c.side].remove(objects[c.side], live[c.target % live.length]!.id);
    } else if (c.kind === 'create') {
      const email = `user${c.email}@x.io`;
      const emailField = c.side === 'left' ? 'email' : 'email_address';
      // A person creates a contact only where that email is not there yet (else it is a duplicate, tested elsewhere).
      if (systems[c.side].all(objects[c.side]).some((r) => String(r.fields[emailField]).toLowerCase() === email)) continue;
      const n = fieldNames[c.side];
      systems[c.side].put(objects[c.side], {
        [emailField]: c.side === 'right' ? email.toUpperCase() : email, [n.name]: c.name, [n.score]: c.score, [n.tags]: c.tags, [n.stock]: c.stock,
      });
    } else {
      const live = systems[c.side].all(objects[c.side]);
      if (live.length === 0) continue;
      const r = live[c.target % live.length]!;
      systems[c.side].edit(objects[c.side], r.id, { [fieldNames[c.side][c.field]]: c.value });
    }
    f.clock.advance(1000);
  }
}

describeEachDialect('convergence under random edits on both sides', (getStore) => {
  it('after quiescence both sides agree on every two-way field and no record exists twice', async () => {
    await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 14 }), async (cmds) => {
      const f = createFixture(getStore, { mapping });
      await runCommands(f, cmds);
      const final = await syncPair(f.deps);
      expect(final.quiescent).toBe(true);
      expect(final.problems).toEqual([]);
      const links = await f.deps.store.listLinks(f.pair);
      expect(links).toHaveLength(f.left.all('contacts').length);
      expect(links).toHaveLength(f.right.all('members').length);
      for (const link of links) {
        const l = f.left.record('contacts', link.leftId)!.fields;
        const r = f.right.record('members', link.rightId)!.fields;
        expect(String(r.email_address).toLowerCase()).toBe(String(l.email).toLowerCase());
        expect(r.full_name).toEqual(l.name);
        expect(r.points).toEqual(l.score);
        expect([...(r.labels as string[])].sort()).toEqual([...(l.tags as string[])].sort());
        expect(r.qty).toEqual(l.stock);
      }
      for (const [system, object, field] of [[f.right, 'members', 'email_address'], [f.left, 'contacts', 'email']] as const) {
        const emails = system.all(object).map((m) => String(m.fields[field]).toLowerCase());
        expect(new Set(emails).size).toBe(emails.length);
      }
      expect(await f.deps.store.listJournal({ pair: f.pair, states: ['intent', 'unknown'] })).toEqual([]);
      const again = await syncPair(f.deps);
      expect(again.writes).toEqual({ left: 0, right: 0 });
    }), { numRuns: 25 });
  });

  it('with a manual field, every disagreement left after quiescence is an open conflict, and nothing else differs', async () => {
    const manual = { ...mapping, fields: mapping.fields.map((fl) => (fl.left === 'score' ? { ...fl, conflict: 'manual' } : fl)) };
    await fc.assert(fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 14 }), async (cmds) => {
      const f = createFixture(getStore, { mapping: manual });
      await runCommands(f, cmds);
      await syncPair(f.deps);
      const open = await f.deps.store.listConflicts({ pair: f.pair, state: 'open' });
      for (const link of await f.deps.store.listLinks(f.pair)) {
        const l = f.left.record('contacts', link.leftId)!.fields;
        const r = f.right.record('members', link.rightId)!.fields;
        expect(r.full_name).toEqual(l.name);
        const held = open.some((c) => c.linkId === link.id && c.field === 'score~points');
        if (!held) expect(r.points).toEqual(l.score);
        else expect(r.points).not.toEqual(l.score);
      }
    }), { numRuns: 25 });
  });
});
