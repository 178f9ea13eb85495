import { describe, expect, it } from 'vitest';
import { createMap } from '../../../../src/mapping/transforms/map.js';
import { noLinks } from './context.js';

const consent = createMap({ true: 'unsubscribed', false: 'subscribed' });

describe('map', () => {
  it('matches a boolean left value by its text, since YAML keys are text', async () => {
    expect(await consent.toRight(true, noLinks)).toEqual({ ok: true, value: 'unsubscribed' });
    expect(await consent.toRight('false', noLinks)).toEqual({ ok: true, value: 'subscribed' });
  });

  it('matches numbers by their decimal text', async () => {
    const priority = createMap({ '1': 'low', '2.5': 'mid' });
    expect(await priority.toRight(1, noLinks)).toEqual({ ok: true, value: 'low' });
    expect(await priority.toRight(2.5, noLinks)).toEqual({ ok: true, value: 'mid' });
  });

  it('derives the inverse and writes the key text back to the left', async () => {
    expect(await consent.toLeft('unsubscribed', noLinks)).toEqual({ ok: true, value: 'true' });
  });

  it('reports a value outside the map as unmapped, naming the allowed keys, instead of guessing', async () => {
    const r = await consent.toRight('maybe', noLinks);
    expect(r).toMatchObject({ ok: false, kind: 'unmapped' });
    expect(r.ok ? '' : r.message).toContain('"true", "false"');
    expect(await consent.toLeft('cleaned', noLinks)).toMatchObject({ ok: false, kind: 'unmapped' });
  });

  it('passes empty values through as null', async () => {
    expect(await consent.toRight(undefined, noLinks)).toEqual({ ok: true, value: null });
    expect(await consent.toLeft(null, noLinks)).toEqual({ ok: true, value: null });
  });

  it('is invertible only when one-to-one, and names the colliding keys', () => {
    expect(consent.invertible).toBe(true);
    const lossy = createMap({ lead: 'open', opportunity: 'open', customer: 'won' });
    expect(lossy.invertible).toBe(false);
    expect(lossy.notInvertibleBecause).toBe('the map is not one-to-one: "lead" and "opportunity" all map to "open"');
  });

  it('counts values that only differ in type as a collision, because they match by text', () => {
    expect(createMap({ a: 1, b: '1' }).invertible).toBe(false);
  });

  it('treats a key mapped to null as colliding with the empty value', () => {
    const m = createMap({ none: null, some: 'x' });
    expect(m.invertible).toBe(false);
    expect(m.notInvertibleBecause).toContain('"none" maps to null');
  });
});
