/**
 * Each strategy by example: what happens when both sides changed a field since the base.
 * Read as documentation of DESIGN §5's strategy table.
 */
import { describe, expect, it } from 'vitest';
import { mergeOneField, NOW, T1, T2, T3 } from './support/one-field.js';
import { hundredths } from './support/test-transforms.js';

describe('prefer-left / prefer-right', () => {
  it('prefer-right: the right value wins and is written to the left', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'prefer-right' }, base: ['subscribed', 'subscribed'], left: 'pending', right: 'unsubscribed' });
    expect(decision.outcome).toEqual({ kind: 'settled', strategy: 'prefer-right', winner: 'right', value: 'unsubscribed', viaFallback: false });
    expect(decision.write).toEqual({ left: { value: 'unsubscribed' } });
  });

  it('prefer-left: the left value wins, and goes to the right converted by the caller', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'prefer-left' }, transform: hundredths, base: [1, 100], left: 3, right: 500 });
    expect(decision.outcome).toMatchObject({ kind: 'settled', winner: 'left', value: 3 });
    expect(decision.write).toEqual({ right: { value: 3 } }); // left space: the caller writes toRight(3) = 300
  });

  it('when only the other side changed, that change still goes through', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'prefer-left' }, base: ['a', 'a'], left: 'a', right: 'b', leftVersion: 'v1' });
    expect(decision.outcome).toEqual({ kind: 'propagate', to: 'left', value: 'b', reason: 'changed' });
  });
});

describe('last-write-wins', () => {
  it('the later per-field change time wins', () => {
    const { decision } = mergeOneField({ base: ['Ann', 'Ann'], left: 'Anna', right: 'Annie', leftFieldTime: T3, rightFieldTime: T2 });
    expect(decision.outcome).toMatchObject({ kind: 'settled', strategy: 'last-write-wins', winner: 'left', value: 'Anna' });
  });

  it('without per-field times, the record modification times decide', () => {
    const { decision } = mergeOneField({ base: ['Ann', 'Ann'], left: 'Anna', right: 'Annie', leftModifiedAt: T2, rightModifiedAt: T3 });
    expect(decision.outcome).toMatchObject({ winner: 'right', value: 'Annie' });
    expect(decision.write).toEqual({ left: { value: 'Annie' } });
  });

  it('a per-field time on one side is compared with the record time of the other', () => {
    const { decision } = mergeOneField({ base: ['Ann', 'Ann'], left: 'Anna', right: 'Annie', leftFieldTime: T1, rightModifiedAt: T2 });
    expect(decision.outcome).toMatchObject({ winner: 'right' });
  });

  it('equal times go to the declared priority side, on either side', () => {
    for (const priority of ['left', 'right'] as const) {
      const { decision } = mergeOneField({ base: ['Ann', 'Ann'], left: 'Anna', right: 'Annie', priority });
      expect(decision.outcome).toMatchObject({ winner: priority });
    }
  });

  it('the same instant written in two zones is a tie, not a win for the longer string', () => {
    const { decision } = mergeOneField({
      base: ['x', 'x'], left: 'l', right: 'r', priority: 'right',
      leftFieldTime: '2026-03-01T12:00:00+02:00', rightFieldTime: '2026-03-01T10:00:00.000Z',
    });
    expect(decision.outcome).toMatchObject({ winner: 'right' });
  });
});

describe('manual', () => {
  it('holds the field and opens a conflict; nothing is written and the base stays', () => {
    const { result, decision } = mergeOneField({ rule: { strategy: 'manual' }, base: ['a', 'a'], left: 'b', right: 'c' });
    expect(decision.outcome).toEqual({
      kind: 'held',
      conflict: { field: 'f', openedAt: NOW.toISOString(), isNew: true, left: 'b', right: 'c' },
    });
    expect(decision.write).toEqual({});
    expect(result.conflictsOpened).toEqual(['f']);
    expect(result.base.fields['f']!.left.value).toBe('a');
  });

  it('an already open conflict stays held with its opening time, and is not opened again', () => {
    const { result, decision } = mergeOneField({ rule: { strategy: 'manual' }, base: ['a', 'a'], left: 'b', right: 'c', openedAt: T1 });
    expect(decision.outcome).toMatchObject({ kind: 'held', conflict: { openedAt: T1, isNew: false } });
    expect(result.conflictsOpened).toEqual([]);
  });

  it('applies the fallback once the time since opening has passed', () => {
    const rule = { strategy: 'manual' as const, fallback: 'prefer-left' as const, fallbackAfterMs: 2 * 3600_000 };
    const before = mergeOneField({ rule, base: ['a', 'a'], left: 'b', right: 'c', openedAt: T3 });
    expect(before.decision.outcome).toMatchObject({ kind: 'held', conflict: { fallback: 'prefer-left', fallbackAt: '2026-03-01T13:00:00.000Z' } });
    // Exactly two hours after opening is "passed".
    const after = mergeOneField({ rule, base: ['a', 'a'], left: 'b', right: 'c', openedAt: T2 });
    expect(after.decision.outcome).toEqual({ kind: 'settled', strategy: 'prefer-left', winner: 'left', value: 'b', viaFallback: true });
    expect(after.result.conflictsClosed).toEqual(['f']);
  });

  it('a conflict closes when one side gives way', () => {
    const { result, decision } = mergeOneField({ rule: { strategy: 'manual' }, base: ['a', 'a'], left: 'b', right: 'b', openedAt: T1 });
    expect(decision.outcome).toEqual({ kind: 'converge', value: 'b' });
    expect(result.conflictsClosed).toEqual(['f']);
  });
});

describe('merge-set', () => {
  it('keeps additions from both sides and removals from both sides', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'merge-set' }, base: [['vip', 'lead'], ['vip', 'lead']], left: ['vip', 'lead', 'eu'], right: ['lead', 'newsletter'] });
    expect(decision.outcome).toMatchObject({ kind: 'settled', winner: 'merged', value: ['lead', 'eu', 'newsletter'] });
    expect(decision.write).toEqual({ left: { value: ['lead', 'eu', 'newsletter'] }, right: { value: ['lead', 'eu', 'newsletter'] } });
  });

  it('a list in another order is the same set: nothing to do', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'merge-set' }, base: [['a', 'b'], ['a', 'b']], left: ['b', 'a'], right: ['a', 'b'] });
    expect(decision.write).toEqual({});
  });

  it('keyed lists: an attendee changed on one side only keeps that change; a new link takes the union', () => {
    const base = [{ email: 'a@x.io', status: 'needsAction' }, { email: 'b@x.io', status: 'needsAction' }];
    const { decision } = mergeOneField({
      rule: { strategy: 'merge-set', key: 'email' }, base: [base, base],
      left: [{ email: 'a@x.io', status: 'accepted' }, { email: 'b@x.io', status: 'needsAction' }],
      right: [{ email: 'a@x.io', status: 'needsAction' }, { email: 'b@x.io', status: 'needsAction' }, { email: 'c@x.io', status: 'tentative' }],
    });
    expect(decision.outcome).toMatchObject({
      value: [{ email: 'a@x.io', status: 'accepted' }, { email: 'b@x.io', status: 'needsAction' }, { email: 'c@x.io', status: 'tentative' }],
    });
    const fresh = mergeOneField({ rule: { strategy: 'merge-set', key: 'email' }, left: [{ email: 'a@x.io' }], right: [{ email: 'b@x.io' }] });
    expect(fresh.decision.outcome).toMatchObject({ value: [{ email: 'a@x.io' }, { email: 'b@x.io' }] });
  });

  it('a value that is not a list is reported, not merged', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'merge-set' }, base: [['a'], ['a']], left: ['a', 'b'], right: 'a,c' });
    expect(decision.outcome).toMatchObject({ kind: 'unmappable', side: 'right', reason: 'invalid' });
    expect(decision.write).toEqual({});
  });
});

describe('sum-deltas', () => {
  it('both sales count: base + (left − base) + (right − base)', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'sum-deltas' }, base: [10, 10], left: 8, right: 7 });
    expect(decision.outcome).toMatchObject({ kind: 'settled', strategy: 'sum-deltas', winner: 'merged', value: 5 });
    expect(decision.write).toEqual({ left: { value: 5 }, right: { value: 5 } });
  });

  it('two equal counts are two deltas, not agreement', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'sum-deltas' }, base: [10, 10], left: 9, right: 9 });
    expect(decision.outcome).toMatchObject({ value: 8 });
  });

  it('works in left space through a transform, and adds decimals exactly', () => {
    const scaled = mergeOneField({ rule: { strategy: 'sum-deltas' }, transform: hundredths, base: [10, 1000], left: 12, right: 900 });
    expect(scaled.decision.outcome).toMatchObject({ value: 11 });
    const decimal = mergeOneField({ rule: { strategy: 'sum-deltas' }, base: [0.3, 0.3], left: 0.1, right: 0.5 });
    expect(decimal.decision.outcome).toMatchObject({ value: 0.3 });
  });

  it('a new link has no deltas: the priority side holds the count', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'sum-deltas' }, left: 4, right: 6, priority: 'right' });
    expect(decision.outcome).toMatchObject({ winner: 'right', value: 6 });
  });

  it('a side without a number is reported, not read as zero', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'sum-deltas' }, base: [10, 10], left: null, right: 7 });
    expect(decision.outcome).toMatchObject({ kind: 'unmappable', side: 'left', reason: 'invalid' });
  });
});

describe('fill-empty', () => {
  it('a value is written only where the other side is empty', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'fill-empty' }, base: ['a', 'a'], left: 'b', right: '' });
    expect(decision.outcome).toMatchObject({ kind: 'settled', winner: 'left', value: 'b' });
    expect(decision.write).toEqual({ right: { value: 'b' } });
  });

  it('two non-empty values are both kept', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'fill-empty' }, base: ['a', 'a'], left: 'b', right: 'c' });
    expect(decision.outcome).toEqual({ kind: 'kept', left: 'b', right: 'c' });
    expect(decision.write).toEqual({});
  });

  it('a change on one side goes only into an empty target', () => {
    const into = mergeOneField({ rule: { strategy: 'fill-empty' }, base: [null, null], left: 'b', right: null, rightVersion: 'v1' });
    expect(into.decision.outcome).toEqual({ kind: 'propagate', to: 'right', value: 'b', reason: 'filled' });
    const notInto = mergeOneField({ rule: { strategy: 'fill-empty' }, base: ['a', 'a'], left: 'b', right: 'a', rightVersion: 'v1' });
    expect(notInto.decision.outcome).toEqual({ kind: 'kept', left: 'b', right: 'a' });
  });
});

describe('max / min', () => {
  it('max of numbers, min of numbers', () => {
    expect(mergeOneField({ rule: { strategy: 'max' }, base: [1, 1], left: 3, right: 7 }).decision.outcome).toMatchObject({ winner: 'right', value: 7 });
    expect(mergeOneField({ rule: { strategy: 'min' }, base: [1, 1], left: 3, right: 7 }).decision.outcome).toMatchObject({ winner: 'left', value: 3 });
  });

  it('dates compare as instants, across zones', () => {
    const { decision } = mergeOneField({ rule: { strategy: 'max' }, base: [T1, T1], left: '2026-03-01T13:30:00+02:00', right: '2026-03-01T11:00:00Z' });
    expect(decision.outcome).toMatchObject({ winner: 'left' });
  });

  it('an empty side loses; a number against a date, or text, is reported', () => {
    expect(mergeOneField({ rule: { strategy: 'min' }, base: [1, 1], left: null, right: 7 }).decision.outcome).toMatchObject({ winner: 'right', value: 7 });
    expect(mergeOneField({ rule: { strategy: 'max' }, base: [1, 1], left: 5, right: T2 }).decision.outcome).toMatchObject({ kind: 'unmappable', reason: 'invalid' });
    expect(mergeOneField({ rule: { strategy: 'max' }, base: [1, 1], left: 'March 7', right: 2 }).decision.outcome).toMatchObject({ kind: 'unmappable', side: 'left' });
  });
});
