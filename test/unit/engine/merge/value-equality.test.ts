/** What counts as the same value, and exact decimal sums. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalValue, setsEqual, valuesEqual } from '../../../../src/engine/merge/value-equality.js';
import { sumExactly } from '../../../../src/engine/merge/strategies/decimal-sum.js';

const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.constantFrom(null, undefined, '', 0, -0, 1, 'a', 'A', true, false), fc.integer({ min: -3, max: 3 })),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node'), { maxKeys: 3 })),
})).node;

describe('valuesEqual', () => {
  it('empty values are alike at any depth; order matters in lists', () => {
    expect(valuesEqual({ a: [], b: { c: '' } }, { b: {} })).toBe(true);
    expect(valuesEqual(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(valuesEqual(1, '1')).toBe(false);
    expect(valuesEqual(0, false)).toBe(false);
  });

  it('is an equivalence, and the canonical form is equal exactly when the values are', () => {
    fc.assert(fc.property(value, value, value, (a, b, c) => {
      expect(valuesEqual(a, a)).toBe(true);
      expect(valuesEqual(a, b)).toBe(valuesEqual(b, a));
      if (valuesEqual(a, b) && valuesEqual(b, c)) expect(valuesEqual(a, c)).toBe(true);
      expect(canonicalValue(a) === canonicalValue(b)).toBe(valuesEqual(a, b));
    }), { numRuns: 500 });
  });

  it('sets: order and duplicates do not matter; keyed items compare by key and content', () => {
    expect(setsEqual(['a', 'b', 'a'], ['b', 'a'], undefined)).toBe(true);
    expect(setsEqual(null, [], undefined)).toBe(true);
    expect(setsEqual([{ email: 'a', s: 1 }], [{ email: 'a', s: 2 }], 'email')).toBe(false);
    expect(setsEqual([{ email: 'a', s: 1 }, { email: 'b' }], [{ email: 'b' }, { email: 'a', s: 1 }], 'email')).toBe(true);
  });
});

describe('sumExactly', () => {
  it('adds decimals as a person would', () => {
    expect(sumExactly([0.1, 0.2])).toBe(0.3);
    expect(sumExactly([19.99, 0.01, -0])).toBe(20);
    expect(sumExactly([1e21, 1, -1e21])).toBe(1);
    expect(sumExactly([1e-7, 2e-7])).toBe(3e-7);
  });

  it('equals integer arithmetic on cents', () => {
    fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 }), (a, b, c) => {
      expect(sumExactly([a / 100, b / 100, -(c / 100)])).toBe((a + b - c) / 100);
    }), { numRuns: 500 });
  });
});
