/**
 * Properties of the merge when a decision's writes land on one side only (the other side's write failed or was
 * answered with a stale version): the next merge must not see Concord's own landed write as a user's change.
 * "After" is as in merge.properties.test.ts; `unwritten` names the side whose write did not land.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldValuesEqual, listAsSetIds, type MergeResult } from './support/properties-support.js';
import { applyMergeResult, mergeWorld, type World } from './support/merge-world.js';
import { FIELD, NOW, oneFieldWorld } from './support/one-field.js';
import { hundredths, identity } from './support/test-transforms.js';
import { worldArbitrary } from './support/world-arbitrary.js';

const runs = { numRuns: Number(process.env['MERGE_PROPERTY_RUNS'] ?? 400), endOnFailure: process.env['MERGE_PROPERTY_NO_SHRINK'] === '1' };
const timeout = 180_000;
const LATER = new Date(NOW.getTime() + 60_000);
const LATEST = new Date(NOW.getTime() + 120_000);
const side = fc.constantFrom('left' as const, 'right' as const);

function noWrites(result: MergeResult): void {
  expect(result.writes).toEqual({ left: false, right: false });
}

/** A user's edit of the one field on `s`, a moment after the partial write. */
function edit(world: World, s: 'left' | 'right', value: unknown, n: number): World {
  const values = { ...world[s].values, [FIELD]: value };
  return { ...world, [s]: { ...world[s], values, version: `${s}-edit${n}`, modifiedAt: LATER.toISOString() } };
}

describe('merge properties with partial writes', () => {
  it('a retry after a partial write ends where the full write would have, and then there is nothing left to do', () => {
    fc.assert(fc.property(worldArbitrary(), side, (world, unwritten) => {
      const first = mergeWorld(world, NOW);
      fc.pre(first.ready && first.writes.left && first.writes.right && first.staleSides.length === 0);
      const full = applyMergeResult(world, first, { now: NOW });
      const partial = applyMergeResult(world, first, { now: NOW, unwritten });
      const retry = mergeWorld(partial, LATER);
      expect(retry.ready).toBe(true);
      const after = applyMergeResult(partial, retry, { now: LATER });
      for (const { rule } of world.fields) {
        for (const s of ['left', 'right'] as const) {
          expect(fieldValuesEqual(rule, after[s].values[rule.id], full[s].values[rule.id]), `${rule.id} ${rule.strategy} on ${s}: ` +
            `${JSON.stringify(after[s].values[rule.id])} vs ${JSON.stringify(full[s].values[rule.id])}`).toBe(true);
        }
      }
      noWrites(mergeWorld(after, LATEST));
    }), runs);
  }, timeout);

  it('sum-deltas counts every delta once: both deltas of the decision and any made after the partial write', () => {
    const n = fc.integer({ min: -20, max: 20 });
    fc.assert(fc.property(n, n, n, n, n, side, fc.constantFrom(identity, hundredths), (b, l, r, el, er, unwritten, transform) => {
      fc.pre(l !== b && r !== b);
      const toRight = (v: number) => (transform.toRight(v) as { value: number }).value;
      const world = oneFieldWorld({ rule: { strategy: 'sum-deltas' }, transform, base: [b, toRight(b)], left: l, right: toRight(r) });
      const partial = applyMergeResult(world, mergeWorld(world, NOW), { now: NOW, unwritten });
      let edited = partial;
      if (el !== 0) edited = edit(edited, 'left', (edited.left.values[FIELD] as number) + el, 1);
      if (er !== 0) edited = edit(edited, 'right', (edited.right.values[FIELD] as number) + toRight(er), 2);
      const after = applyMergeResult(edited, mergeWorld(edited, LATEST), { now: LATEST });
      const expected = b + (l - b) + (r - b) + el + er;
      expect(after.left.values[FIELD]).toBe(expected);
      expect(after.right.values[FIELD]).toBe(toRight(expected));
    }), runs);
  }, timeout);

  it('merge-set keeps removals removed and additions added across a partial write and edits made after it', () => {
    const set = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 5 });
    // The items each side's user adds or removes after the partial write: few, so most of each set stays.
    const toggles = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 2 });
    const toggled = (list: unknown, items: string[]) => {
      const now = new Set(list as string[]);
      for (const x of items) if (!now.delete(x)) now.add(x);
      return [...now];
    };
    fc.assert(fc.property(set, set, set, toggles, toggles, side, (b, l, r, tl, tr, unwritten) => {
      const world = oneFieldWorld({ rule: { strategy: 'merge-set' }, base: [b, b], left: l, right: r });
      const first = mergeWorld(world, NOW);
      fc.pre(first.writes.left && first.writes.right);
      const agreed = listAsSetIds(first.fields[0]!.write.left!.value, undefined);
      const partial = applyMergeResult(world, first, { now: NOW, unwritten });
      const priorOf = (s: 'left' | 'right') => listAsSetIds(partial[s].values[FIELD], undefined);
      const edited = edit(edit(partial, 'left', toggled(partial.left.values[FIELD], tl), 1), 'right', toggled(partial.right.values[FIELD], tr), 2);
      const after = applyMergeResult(edited, mergeWorld(edited, LATEST), { now: LATEST });
      const result = listAsSetIds(after.left.values[FIELD], undefined);
      expect(listAsSetIds(after.right.values[FIELD], undefined)).toEqual(result);
      const added = (x: string) => (['left', 'right'] as const).some((s) => !priorOf(s).has(x) && listAsSetIds(edited[s].values[FIELD], undefined).has(x));
      const removed = (x: string) => (['left', 'right'] as const).some((s) => priorOf(s).has(x) && !listAsSetIds(edited[s].values[FIELD], undefined).has(x));
      for (const x of [...listAsSetIds(['a', 'b', 'c', 'd', 'e'], undefined)]) {
        // An item one side adds while the other removes it is a conflict of its own; not stated here.
        if (added(x) && removed(x)) continue;
        const expected = added(x) ? true : removed(x) ? false : agreed.has(x);
        expect(result.has(x), `${x}: agreed ${[...agreed]}, now ${JSON.stringify(edited.left.values[FIELD])} / ${JSON.stringify(edited.right.values[FIELD])}`).toBe(expected);
      }
    }), runs);
  }, timeout);
});
