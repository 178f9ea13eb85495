/**
 * Properties of the merge over random links (support/world-arbitrary.ts): every strategy and direction,
 * identity and non-trivial invertible transforms, empty values of every spelling, new links, stale reads.
 * "After" means after the engine carried out the result (support/merge-world.ts `applyMergeResult`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldValuesEqual, isEmptyValue, listAsSetIds, type MergeResult } from './support/properties-support.js';
import { applyMergeResult, mergeWorld, readSide, swapSides, type World } from './support/merge-world.js';
import { NOW } from './support/one-field.js';
import { worldArbitrary } from './support/world-arbitrary.js';
import { compareInstants } from '../../../../src/engine/merge/instants.js';

/** MERGE_PROPERTY_RUNS=5000 for a deeper search; MERGE_PROPERTY_NO_SHRINK=1 to report the first failure as found. */
const runs = { numRuns: Number(process.env['MERGE_PROPERTY_RUNS'] ?? 400), endOnFailure: process.env['MERGE_PROPERTY_NO_SHRINK'] === '1' };
/** Generous: the suite shares machines with others, and fast-check's shrinking of a failure takes its time. */
const timeout = 180_000;
const LATER = new Date(NOW.getTime() + 60_000);
/** Outcomes after which both sides hold the agreed value. */
const agreeing = new Set(['propagate', 'converge', 'settled']);

function decisionOf(result: MergeResult, id: string) {
  return result.fields.find((d) => d.field === id)!;
}

/** Whether the two sides agree in left space: toLeft(right) equals left. */
function sidesAgree(world: World, id: string): boolean {
  const field = world.fields.find((f) => f.rule.id === id)!;
  const rightAsLeft = field.transform.toLeft(world.right.values[id]);
  return rightAsLeft.ok && fieldValuesEqual(field.rule, world.left.values[id], rightAsLeft.value);
}

function noWrites(result: MergeResult): void {
  expect(result.writes).toEqual({ left: false, right: false });
  for (const d of result.fields) expect(d.write, d.field).toEqual({});
}

describe('merge properties', () => {
  it('idempotence: applying the result and merging again leaves nothing to do', () => {
    fc.assert(fc.property(worldArbitrary(), (world) => {
      const first = mergeWorld(world, NOW);
      // Writing to a side read stale replaces the old copy with the real record: news, not a repeat.
      fc.pre(first.ready && !first.staleSides.some((s) => first.writes[s]));
      const second = mergeWorld(applyMergeResult(world, first, { now: NOW }), NOW);
      noWrites(second);
      expect(second.conflictsOpened).toEqual([]);
    }), runs);
  }, timeout);

  it('convergence: after applying, both sides agree on every two-way field the merge settled', () => {
    fc.assert(fc.property(worldArbitrary(), (world) => {
      const first = mergeWorld(world, NOW);
      const after = applyMergeResult(world, first, { now: NOW });
      for (const d of first.fields) {
        const rule = world.fields.find((f) => f.rule.id === d.field)!.rule;
        if (rule.direction !== 'both' || !first.ready) continue;
        if (agreeing.has(d.outcome.kind)) expect(sidesAgree(after, d.field), `${d.field} ${JSON.stringify(d.outcome)}`).toBe(true);
      }
    }), runs);
  }, timeout);

  it('one-way fields: after applying, the target holds exactly the converted source, and the source is never written', () => {
    fc.assert(fc.property(worldArbitrary({ directions: ['left-to-right', 'right-to-left'] }), (world) => {
      const first = mergeWorld(world, NOW);
      fc.pre(first.ready);
      const after = applyMergeResult(world, first, { now: NOW });
      for (const { rule, transform } of world.fields) {
        const d = decisionOf(first, rule.id);
        const source = rule.direction === 'left-to-right' ? 'left' : 'right';
        expect(d.write[source]).toBeUndefined();
        if (d.outcome.kind !== 'propagate' && d.outcome.kind !== 'none') continue;
        const target = source === 'left' ? 'right' : 'left';
        const converted = source === 'left' ? transform.toRight(after.left.values[rule.id]) : transform.toLeft(after.right.values[rule.id]);
        expect(converted.ok && fieldValuesEqual(rule, after[target].values[rule.id], converted.value), JSON.stringify(d)).toBe(true);
      }
    }), runs);
  }, timeout);

  it('echo suppression: Concord\'s own writes coming back as change events produce no writes', () => {
    fc.assert(fc.property(worldArbitrary(), fc.boolean(), (world, reportVersions) => {
      const first = mergeWorld(world, NOW);
      fc.pre(first.ready && (first.writes.left || first.writes.right) && !first.staleSides.some((s) => first.writes[s]));
      const after = applyMergeResult(world, first, { now: NOW, reportVersions });
      // The webhook for each write arrives a minute later; the engine reads the record again (same version).
      const echoed: World = { ...after, left: { ...after.left }, right: { ...after.right } };
      const echo = mergeWorld(echoed, LATER);
      noWrites(echo);
      for (const d of first.fields) {
        if (d.write.left || d.write.right) expect(echo.fields.find((e) => e.field === d.field)!.outcome.kind).toBe('none');
      }
    }), runs);
  }, timeout);

  it('prefer-X never loses X\'s change', () => {
    fc.assert(fc.property(worldArbitrary({ strategies: ['prefer-left', 'prefer-right'], directions: ['both'] }), (world) => {
      const first = mergeWorld(world, NOW);
      fc.pre(first.ready);
      const after = applyMergeResult(world, first, { now: NOW });
      for (const { rule } of world.fields) {
        const d = decisionOf(first, rule.id);
        const preferred = rule.strategy === 'prefer-left' ? 'left' : 'right';
        // On a new link an empty side has no change to lose: it receives the other side's value.
        const newAndEmpty = !world.base?.fields[rule.id] && isEmptyValue(readSide(world[preferred]).values[rule.id]);
        if (!d.changed[preferred] || newAndEmpty) continue;
        expect(d.write[preferred], JSON.stringify(d)).toBeUndefined();
        expect(after[preferred].values[rule.id]).toEqual(readSide(world[preferred]).values[rule.id]);
        if (agreeing.has(d.outcome.kind)) expect(sidesAgree(after, rule.id), JSON.stringify(d)).toBe(true);
      }
    }), runs);
  }, timeout);

  it('merge-set keeps both sides\' additions and both sides\' removals', () => {
    fc.assert(fc.property(worldArbitrary({ strategies: ['merge-set'], directions: ['both'] }), (world) => {
      const first = mergeWorld(world, NOW);
      fc.pre(first.ready && first.staleSides.length === 0);
      const after = applyMergeResult(world, first, { now: NOW });
      for (const { rule, transform } of world.fields) {
        const d = decisionOf(first, rule.id);
        const base = world.base?.fields[rule.id];
        if (!base || d.outcome.kind === 'unmappable') continue;
        const right = transform.toLeft(world.right.values[rule.id]);
        if (!right.ok) continue;
        const b = listAsSetIds(base.left.value, rule.key);
        const l = listAsSetIds(world.left.values[rule.id], rule.key);
        const r = listAsSetIds(right.value, rule.key);
        const merged = listAsSetIds(after.left.values[rule.id], rule.key);
        for (const id of [...l, ...r]) if (!b.has(id)) expect(merged.has(id), `addition ${id} kept`).toBe(true);
        for (const id of b) if (!l.has(id) || !r.has(id)) expect(merged.has(id), `removal of ${id} kept`).toBe(false);
      }
    }), runs);
  }, timeout);

  it('sum-deltas conserves both deltas', () => {
    fc.assert(fc.property(worldArbitrary({ strategies: ['sum-deltas'], directions: ['both'] }), (world) => {
      const first = mergeWorld(world, NOW);
      fc.pre(first.ready && first.staleSides.length === 0);
      const after = applyMergeResult(world, first, { now: NOW });
      for (const { rule, transform } of world.fields) {
        const d = decisionOf(first, rule.id);
        const base = world.base?.fields[rule.id]?.left.value;
        const left = world.left.values[rule.id];
        const right = transform.toLeft(world.right.values[rule.id]);
        if (d.outcome.kind === 'unmappable' || typeof base !== 'number' || typeof left !== 'number' || !right.ok || typeof right.value !== 'number') continue;
        const result = after.left.values[rule.id];
        expect(result, JSON.stringify(d)).toBe(base + (left - base) + (right.value - base));
        expect(sidesAgree(after, rule.id)).toBe(true);
      }
    }), runs);
  }, timeout);

  it('a stale read never overwrites: nothing is written to the other side', () => {
    fc.assert(fc.property(worldArbitrary(), (world) => {
      const first = mergeWorld(world, NOW);
      for (const stale of first.staleSides) {
        const other = stale === 'left' ? 'right' : 'left';
        for (const d of first.fields) expect(d.write[other], JSON.stringify(d)).toBeUndefined();
      }
    }), runs);
  }, timeout);

  it('last-write-wins picks the later change, ties by priority', () => {
    fc.assert(fc.property(worldArbitrary({ strategies: ['last-write-wins'], directions: ['both'] }), (world) => {
      const first = mergeWorld(world, NOW);
      for (const d of first.fields) {
        if (d.outcome.kind !== 'settled') continue;
        const time = (s: 'left' | 'right') => world[s].fieldTimes?.[d.field] ?? readSide(world[s]).modifiedAt;
        const order = compareInstants(time('left'), time('right'));
        expect(d.outcome.winner).toBe(order > 0 ? 'left' : order < 0 ? 'right' : world.priority);
      }
    }), runs);
  }, timeout);

  it('the sides are interchangeable: swapping left and right (with the priority) gives the mirrored decision', () => {
    fc.assert(fc.property(worldArbitrary({ identityOnly: true }), (world) => {
      const straight = mergeWorld(world, NOW);
      const swapped = mergeWorld(swapSides(world), NOW);
      const mirror = (s: string) => (s === 'left' ? 'right' : s === 'right' ? 'left' : s);
      expect(swapped.ready).toBe(straight.ready);
      for (const d of straight.fields) {
        const rule = world.fields.find((f) => f.rule.id === d.field)!.rule;
        const e = decisionOf(swapped, d.field);
        expect(e.outcome.kind, `${JSON.stringify(d)} / ${JSON.stringify(e)}`).toBe(d.outcome.kind);
        if (d.outcome.kind === 'settled' && e.outcome.kind === 'settled') {
          expect(e.outcome.winner).toBe(mirror(d.outcome.winner));
          expect(fieldValuesEqual(rule, e.outcome.value, d.outcome.value)).toBe(true);
        }
        expect(Object.keys(e.write).map(mirror).sort()).toEqual(Object.keys(d.write).sort());
      }
    }), runs);
  }, timeout);
});
