import { describe, expect, it } from 'vitest';
import { createNumber, roundToScale } from '../../../../src/mapping/transforms/number.js';
import { noLinks } from './context.js';

describe('number', () => {
  it('reads decimal text and rounds half away from zero to the scale', async () => {
    const price = createNumber({ scale: 2 });
    expect(await price.toRight('19.999', noLinks)).toEqual({ ok: true, value: 20 });
    expect(await price.toRight(1.005, noLinks)).toEqual({ ok: true, value: 1.01 });
    expect(await price.toRight(-2.675, noLinks)).toEqual({ ok: true, value: -2.68 });
    expect(await price.toLeft(12.5, noLinks)).toEqual({ ok: true, value: 12.5 });
  });

  it('keeps every digit without a scale', async () => {
    expect(await createNumber().toRight('0.1234567', noLinks)).toEqual({ ok: true, value: 0.1234567 });
  });

  it('refuses text that is not a number', async () => {
    const r = await createNumber().toRight('12 apples', noLinks);
    expect(r).toMatchObject({ ok: false, kind: 'invalid' });
    expect(r.ok ? '' : r.message).toContain('"12 apples"');
  });

  it('rounds tiny and huge numbers without producing NaN', () => {
    expect(roundToScale(1e-7, 2)).toBe(0);
    expect(roundToScale(1.5e300, 2)).toBe(1.5e300);
    expect(roundToScale(-0.001, 2)).toBe(0);
  });
});

describe('number as text', () => {
  it('writes fixed-scale decimal text for APIs that keep numbers as text, and reads it back as a number', async () => {
    const price = createNumber({ scale: 2, as: 'text' });
    expect(await price.toRight(20, noLinks)).toEqual({ ok: true, value: '20.00' });
    expect(await price.toRight('19.999', noLinks)).toEqual({ ok: true, value: '20.00' });
    expect(await price.toRight(-0.004, noLinks)).toEqual({ ok: true, value: '0.00' });
    expect(await price.toLeft('20.00', noLinks)).toEqual({ ok: true, value: 20 });
    expect(price.name).toBe('number(scale 2, as text)');
  });
});
