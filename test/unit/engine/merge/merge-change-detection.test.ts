/**
 * How merge tells what changed: version first and value second, stale reads, new links, empty values,
 * one-way fields, conversion failures and the base it proposes.
 */
import { describe, expect, it } from 'vitest';
import { finalizeBase, isConcordError, merge } from './support/imports.js';
import { mergeOneField, NOW, T0, T1, T2 } from './support/one-field.js';
import { hundredths, lowercaseIdentity } from './support/test-transforms.js';

describe('version first, value second', () => {
  it('a side at the base version is unchanged without comparing values', () => {
    // The left value differs from the base, but the record is still at the version the base was stored at.
    const { decision } = mergeOneField({ base: ['a', 'a'], left: 'zzz', right: 'b', leftVersion: 'v1' });
    expect(decision.changed).toEqual({ left: false, right: true });
    expect(decision.outcome).toEqual({ kind: 'propagate', to: 'left', value: 'b', reason: 'changed' });
  });

  it('a side at a new version with the base value is unchanged (an echo of Concord\'s own write)', () => {
    const { decision } = mergeOneField({ base: ['a', 'A'], transform: lowercaseIdentity, left: 'a', right: 'A' });
    expect(decision.changed).toEqual({ left: false, right: false });
    expect(decision.outcome).toEqual({ kind: 'none' });
  });

  it('undefined, null, a missing key, empty text and an empty list are the same value', () => {
    for (const [left, right] of [[undefined, null], [null, ''], ['', []], [{ a: null, b: 1 }, { b: 1 }]] as const) {
      const { decision } = mergeOneField({ base: null, left, right });
      expect(decision.outcome.kind, JSON.stringify([left, right])).toBe('converge');
    }
  });
});

describe('stale reads', () => {
  it('a read older than the base never overwrites: its value is reported, nothing is written', () => {
    const { result, decision } = mergeOneField({ base: ['new', 'new'], left: 'old', right: 'new', leftModifiedAt: T0, rightVersion: 'v1' });
    expect(result.staleSides).toEqual(['left']);
    expect(decision.outcome).toEqual({ kind: 'stale', side: 'left' });
    expect(result.writes).toEqual({ left: false, right: false });
    // The base keeps what it knew of the left side.
    expect(result.base.left).toEqual({ version: 'v1', modifiedAt: T1 });
    expect(result.base.fields['f']!.left.value).toBe('new');
  });

  it('a change on the other side still reaches the stale side (it counts as unchanged)', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'prefer-left' }, base: ['a', 'a'], left: 'old', right: 'b', leftModifiedAt: T0 });
    expect(decision.outcome).toEqual({ kind: 'propagate', to: 'left', value: 'b', reason: 'changed' });
  });

  it('the same version as the base is never stale, whatever the time says', () => {
    const { result } = mergeOneField({ base: ['a', 'a'], left: 'a', right: 'b', leftVersion: 'v1', leftModifiedAt: T0 });
    expect(result.staleSides).toEqual([]);
  });
});

describe('new links (no base)', () => {
  it('an empty side receives the other side\'s value, whatever the strategy', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'prefer-right' }, left: 'ann@x.io', right: null });
    expect(decision.outcome).toEqual({ kind: 'propagate', to: 'right', value: 'ann@x.io', reason: 'new-link' });
  });

  it('two different values are settled as if both changed', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'prefer-right' }, left: 'a', right: 'b' });
    expect(decision.outcome).toMatchObject({ kind: 'settled', winner: 'right' });
  });
});

describe('one-way fields', () => {
  it('a change on the source is propagated; the source is never written', () => {
    const { decision } = mergeOneField({ rule: { direction: 'left-to-right' }, transform: hundredths, base: [1, 100], left: 2, right: 100, rightVersion: 'v1' });
    expect(decision.outcome).toEqual({ kind: 'propagate', to: 'right', value: 2, reason: 'changed' });
    expect(decision.write).toEqual({ right: { value: 2 } });
  });

  it('an edit on the target is reverted and reported so', () => {
    const { decision } = mergeOneField({ rule: { direction: 'right-to-left' }, base: ['paid', 'paid'], left: 'open', right: 'paid', rightVersion: 'v1' });
    expect(decision.outcome).toEqual({ kind: 'propagate', to: 'left', value: 'paid', reason: 'target-edit-reverted' });
  });

  it('the strategy does not apply, except fill-empty, which keeps a non-empty target', () => {
    const lww = mergeOneField({ rule: { direction: 'left-to-right', strategy: 'prefer-right' }, base: ['a', 'a'], left: 'b', right: 'c' });
    expect(lww.decision.write).toEqual({ right: { value: 'b' } });
    const fill = mergeOneField({ rule: { direction: 'left-to-right', strategy: 'fill-empty' }, base: ['a', 'a'], left: 'b', right: 'c' });
    expect(fill.decision.outcome).toEqual({ kind: 'kept', left: 'b', right: 'c' });
  });
});

describe('conversions that fail', () => {
  it('a right value without a left counterpart is reported on the right, and the field left alone', () => {
    const { result, decision } = mergeOneField({ transform: hundredths, base: [1, 100], left: 1, right: 150, leftVersion: 'v1' });
    expect(decision.outcome).toMatchObject({ kind: 'unmappable', side: 'right', reason: 'unmapped' });
    expect(decision.write).toEqual({});
    expect(result.base.fields['f']).toEqual({ left: { value: 1, version: 'v1', changedAt: T1 }, right: { value: 100, version: 'v1', changedAt: T1 } });
  });

  it('a reference not linked yet makes the whole record wait: nothing is written', () => {
    const result = merge({
      fields: [
        { rule: { id: 'name', left: 'name', right: 'name', direction: 'both', strategy: 'last-write-wins' }, left: 'Acme', right: 'Acme Ltd', leftAsRight: { ok: true, value: 'Acme' }, rightAsLeft: { ok: true, value: 'Acme Ltd' } },
        { rule: { id: 'company', left: 'company', right: 'company', direction: 'left-to-right', strategy: 'last-write-wins' }, left: 'c1', right: null, leftAsRight: { ok: false, kind: 'waiting', message: 'company c1 is not linked yet' }, rightAsLeft: { ok: true, value: null } },
      ],
      left: { version: 'v2', modifiedAt: T2 },
      right: { version: 'v1', modifiedAt: T1 },
      base: null,
      priority: 'left',
      now: NOW,
    });
    expect(result.ready).toBe(false);
    expect(result.waitingOn).toEqual(['company']);
    expect(result.writes).toEqual({ left: false, right: false });
  });
});

describe('the base to store', () => {
  it('right-bound values are completed from what the caller wrote', () => {
    const { result } = mergeOneField({ transform: hundredths, base: [1, 100], left: 2, right: 100, rightVersion: 'v1' });
    expect(result.base.pendingRight).toEqual(['f']);
    const base = finalizeBase(result.base, { rightValues: { f: 200 }, after: { right: { version: 'v3', modifiedAt: NOW.toISOString() } } });
    expect(base.fields['f']).toEqual({
      left: { value: 2, version: 'v2', changedAt: T2 },
      right: { value: 200, version: null, changedAt: NOW.toISOString() },
    });
    expect(base.right).toEqual({ version: 'v3', modifiedAt: NOW.toISOString() });
  });

  it('a missing written value is a bug the caller hears about', () => {
    const { result } = mergeOneField({ base: [1, 1], left: 2, right: 1, rightVersion: 'v1' });
    let thrown: unknown;
    try { finalizeBase(result.base, { rightValues: {} }); } catch (e) { thrown = e; }
    expect(isConcordError(thrown) && thrown.code).toBe('CONCORD_ERR_ENGINE_MERGE_BASE_INCOMPLETE');
  });

  it('the same field twice in one input is refused', () => {
    const f = { rule: { id: 'x', left: 'x', right: 'x', direction: 'both' as const, strategy: 'max' as const }, left: 1, right: 1, leftAsRight: { ok: true as const, value: 1 }, rightAsLeft: { ok: true as const, value: 1 } };
    expect(() => merge({ fields: [f, f], left: { version: 'a', modifiedAt: T1 }, right: { version: 'b', modifiedAt: T1 }, base: null, priority: 'left', now: NOW }))
      .toThrow(/appears twice/);
  });
});
