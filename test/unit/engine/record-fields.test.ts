import { describe, expect, it } from 'vitest';
import { beforeValues, buildPatch, topKey } from '../../../src/engine/process/record-fields.js';
import { sameValue } from '../../../src/engine/process/same-value.js';

describe('write patches', () => {
  it('a nested field is written as its whole top-level key, keeping its siblings', () => {
    const current = { merge_fields: { FNAME: 'Ann', LNAME: 'Lee' }, status: 'subscribed' };
    const patch = buildPatch(current, new Map([['merge_fields.FNAME', 'Anna']]));
    expect(patch).toEqual({ merge_fields: { FNAME: 'Anna', LNAME: 'Lee' } });
    expect(current.merge_fields.FNAME).toBe('Ann');
    expect(beforeValues(current, patch)).toEqual({ merge_fields: { FNAME: 'Ann', LNAME: 'Lee' } });
    expect(topKey('Line[0].Amount')).toBe('Line');
  });

  it('same values: deep, key order free, null and missing alike', () => {
    expect(sameValue({ a: 1, b: [1, { c: null }] }, { b: [1, {}], a: 1 })).toBe(true);
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue(0, null)).toBe(false);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });
});
