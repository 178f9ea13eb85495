import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getPath, parsePath, setPath } from '../../../src/mapping/field-path.js';

describe('field paths', () => {
  it('parse names, dots, indexes and quoted names', () => {
    expect(parsePath('merge_fields.FNAME')).toEqual({ ok: true, segments: ['merge_fields', 'FNAME'] });
    expect(parsePath('Line[0].Amount')).toEqual({ ok: true, segments: ['Line', 0, 'Amount'] });
    expect(parsePath('properties["hs.custom"]')).toEqual({ ok: true, segments: ['properties', 'hs.custom'] });
    expect(parsePath('Артикул')).toEqual({ ok: true, segments: ['Артикул'] });
  });

  it('refuse malformed paths with the position of the problem', () => {
    expect(parsePath('a..b')).toEqual({ ok: false, message: expect.stringContaining('an empty name at character 3') });
    expect(parsePath('a.')).toMatchObject({ ok: false });
    expect(parsePath('Line[x]')).toEqual({ ok: false, message: expect.stringContaining('"[x]" is neither an index nor a quoted name') });
    expect(parsePath('Line[0')).toMatchObject({ ok: false });
    expect(parsePath('Line[0]Amount')).toMatchObject({ ok: false });
    expect(parsePath('')).toMatchObject({ ok: false });
  });

  it('refuse names that reach prototypes', () => {
    for (const p of ['__proto__.polluted', 'a.constructor.prototype', 'a["__proto__"]']) {
      expect(parsePath(p)).toMatchObject({ ok: false, message: expect.stringContaining('would reach an object\'s prototype') });
    }
  });

  it('read nested values and give undefined for missing steps, without reading inherited properties', () => {
    const record = { CustomerRef: { value: '42' }, Line: [{ Amount: 10 }], merge_fields: { FNAME: 'Ada' } };
    expect(getPath(record, 'CustomerRef.value')).toBe('42');
    expect(getPath(record, 'Line[0].Amount')).toBe(10);
    expect(getPath(record, 'Line[1].Amount')).toBeUndefined();
    expect(getPath(record, 'merge_fields.FNAME.x')).toBeUndefined();
    expect(getPath(record, 'merge_fields.toString')).toBeUndefined();
    expect(getPath({ Line: { 0: 'not a list' } }, 'Line[0]')).toBeUndefined();
  });

  it('write nested values, creating objects and lists on the way and keeping siblings', () => {
    const record: Record<string, unknown> = { merge_fields: { LNAME: 'Lovelace' } };
    setPath(record, 'merge_fields.FNAME', 'Ada');
    setPath(record, 'Line[1].Amount', 12.5);
    setPath(record, 'CustomerRef.value', '42');
    expect(record).toEqual({
      merge_fields: { LNAME: 'Lovelace', FNAME: 'Ada' },
      Line: [null, { Amount: 12.5 }],
      CustomerRef: { value: '42' },
    });
  });

  it('never write to a prototype, even through a name the parser would refuse', () => {
    expect(() => setPath({}, '__proto__.polluted', 1)).toThrow(/prototype/);
    expect(() => setPath({}, ['__proto__', 'polluted'], 1)).toThrow(/prototype/);
    expect(() => getPath({}, ['constructor'])).toThrow(/prototype/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('read back what they wrote (property)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((n) => !['constructor', 'prototype'].includes(n));
    const segment = fc.oneof(name, fc.nat({ max: 4 }));
    fc.assert(fc.property(name, fc.array(segment, { maxLength: 4 }), fc.jsonValue(), (first, rest, value) => {
      const path = [first, ...rest];
      const record = setPath({}, path, value);
      expect(getPath(record, path)).toEqual(value);
    }));
  });
});
