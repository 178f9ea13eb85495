/**
 * Rollback as a property: from a synced state, random edits and creates on the left are synced to the right over
 * several batches; rolling back everything since that state gives the right side back exactly as it was (records
 * created since are archived), because only Concord wrote to it meanwhile. Rolling that rollback back restores
 * the synced values again.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../support/db.js';
import { rollback } from '../../../src/engine/rollback/rollback.js';
import { syncPair } from '../../../src/engine/sync/sync-pair.js';
import { createFixture } from './engine-fixture.js';

const mapping = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  create: { to_right: true },
  fields: [
    { left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' },
    { left: 'city', right: 'address.town', direction: 'both', conflict: 'prefer-left' },
    { left: 'score', right: 'points', direction: 'left-to-right' },
  ],
};

type Step = { kind: 'edit'; target: number; city: string; score: number } | { kind: 'create'; n: number; city: string } | { kind: 'sync' };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), target: fc.nat(10), city: fc.constantFrom('Oslo', 'Rome', 'Lima'), score: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('create' as const), n: fc.integer({ min: 0, max: 9 }), city: fc.constantFrom('Kyiv', 'Riga') }),
  fc.constant({ kind: 'sync' as const }),
);

function snapshot(records: Array<{ id: string; fields: Record<string, unknown> }>): Record<string, unknown> {
  return Object.fromEntries(records.map((r) => [r.id, r.fields]));
}

describeEachDialect('rollback restores what Concord changed', (getStore) => {
  it('rolling back everything since a synced state gives the right side back as it was, and back again', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const f = createFixture(getStore, { mapping });
      for (const n of [1, 2, 3]) f.left.put('contacts', { email: `p${n}@x.io`, city: 'Bergen', score: n });
      await syncPair(f.deps);
      f.clock.advance(60_000);
      const since = f.clock.now().toISOString();
      const before = snapshot(f.right.all('members'));
      for (const s of steps) {
        f.clock.advance(1000);
        if (s.kind === 'sync') await syncPair(f.deps);
        else if (s.kind === 'create') {
          if (!f.left.all('contacts').some((r) => r.fields.email === `q${s.n}@x.io`)) f.left.put('contacts', { email: `q${s.n}@x.io`, city: s.city });
        } else {
          const live = f.left.all('contacts');
          f.left.edit('contacts', live[s.target % live.length]!.id, { city: s.city, score: s.score });
        }
      }
      await syncPair(f.deps);
      const synced = snapshot(f.right.all('members'));
      f.clock.advance(1000);
      const undo = await rollback(f.deps, { since });
      expect(undo.changedSince).toEqual([]);
      expect(undo.failed).toEqual([]);
      expect(snapshot(f.right.all('members'))).toEqual(before);
      if (undo.batchId) {
        f.clock.advance(1000);
        await rollback(f.deps, { batchId: undo.batchId });
        const redone = snapshot(f.right.all('members'));
        // Updates come back; records archived by the rollback stay archived (a delete cannot be undone).
        for (const [id, fields] of Object.entries(redone)) expect(fields).toEqual(synced[id]);
      }
    }), { numRuns: 20 });
  });
});
