/**
 * Every transform declared invertible must not flap: for a value x the transform accepts, with y = toRight(x) and
 * x' = toLeft(y), toRight(x') = y and toLeft(toRight(x')) = x'. Once a value has crossed, it crosses back and forth
 * unchanged. Where right values are a vocabulary of their own (map, number, date, boolean_string, lookup), the
 * same is checked starting from the right.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledTransform, TransformContext } from '../../../src/mapping/compiled-types.js';
import { createBooleanString } from '../../../src/mapping/transforms/boolean-string.js';
import { createChain } from '../../../src/mapping/transforms/chain.js';
import { createDate } from '../../../src/mapping/transforms/date.js';
import { createEmail } from '../../../src/mapping/transforms/email.js';
import { createIdentity } from '../../../src/mapping/transforms/identity.js';
import { createLookup } from '../../../src/mapping/transforms/lookup.js';
import { createLowercase } from '../../../src/mapping/transforms/lowercase.js';
import { createMap } from '../../../src/mapping/transforms/map.js';
import { createNumber } from '../../../src/mapping/transforms/number.js';
import { createPhoneE164 } from '../../../src/mapping/transforms/phone-e164.js';
import { phoneRegions } from '../../../src/mapping/transforms/phone-regions.js';
import { createTrim } from '../../../src/mapping/transforms/trim.js';
import { createUppercase } from '../../../src/mapping/transforms/uppercase.js';
import { linksContext, noLinks } from './transforms/context.js';

type Direction = 'toRight' | 'toLeft';
const other = (d: Direction): Direction => (d === 'toRight' ? 'toLeft' : 'toRight');

/** Checks the no-flap property starting with `start`; returns false when the start value is not accepted. */
async function settlesAfterOneCrossing(t: CompiledTransform, value: unknown, start: Direction, ctx: TransformContext): Promise<boolean> {
  const first = await t[start](value, ctx);
  if (!first.ok) return false;
  const back = await t[other(start)](first.value, ctx);
  expect(back, `${t.name}: back from ${JSON.stringify(first.value)}`).toMatchObject({ ok: true });
  if (!back.ok) return true;
  const again = await t[start](back.value, ctx);
  expect(again, `${t.name}: ${JSON.stringify(back.value)} crossing again`).toEqual({ ok: true, value: first.value });
  const backAgain = await t[other(start)](first.value, ctx);
  expect(backAgain).toEqual({ ok: true, value: back.value });
  return true;
}

const zones = fc.constantFrom('UTC', 'Europe/Moscow', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham');
const instants = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true });
const runs = { numRuns: 300 };

describe('invertible transforms round-trip on generated values', () => {
  it('text transforms (lowercase, uppercase, trim, email, identity)', async () => {
    const transforms = [createLowercase(), createUppercase(), createTrim(), createEmail(), createIdentity()];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...transforms), fc.string({ unit: 'grapheme' }), async (t, s) => {
      expect(t.invertible).toBe(true);
      expect(await settlesAfterOneCrossing(t, s, 'toRight', noLinks)).toBe(true);
    }), runs);
    await fc.assert(fc.asyncProperty(fc.constantFrom(...transforms), fc.string({ unit: 'binary' }), async (t, s) => {
      expect(await settlesAfterOneCrossing(t, s, 'toRight', noLinks)).toBe(true);
    }), runs);
  });

  it('number, with and without a scale, from numbers and from decimal text', async () => {
    const values = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer().map(String),
      fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.nat({ max: 999999 })).map(([i, f]) => `${i}.${f}`),
    );
    const as = fc.constantFrom('number' as const, 'text' as const);
    await fc.assert(fc.asyncProperty(fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }), as, values, async (scale, asWhat, v) => {
      const t = createNumber({ scale, as: asWhat });
      expect(await settlesAfterOneCrossing(t, v, 'toRight', noLinks)).toBe(true);
      const right = asWhat === 'text' ? String(v) : typeof v === 'string' ? Number(v) : v;
      expect(await settlesAfterOneCrossing(t, right, 'toLeft', noLinks)).toBe(true);
    }), runs);
  });

  it('date in formats iso and epoch_ms, across zones, from ISO text, plain days and epoch milliseconds', async () => {
    const leftValue = fc.tuple(instants, zones, fc.constantFrom('iso', 'day', 'ms', 'ms-text')).map(([d, zone, shape]) => {
      if (shape === 'ms') return d.getTime();
      if (shape === 'ms-text') return String(d.getTime());
      if (shape === 'day') return d.toISOString().slice(0, 10);
      return new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' }).format(d).replace(' ', 'T');
    });
    await fc.assert(fc.asyncProperty(fc.constantFrom('iso' as const, 'epoch_ms' as const), zones, zones, leftValue, async (format, zone, toZone, v) => {
      const t = createDate({ format, zone, to_zone: toZone });
      expect(t.invertible).toBe(true);
      expect(await settlesAfterOneCrossing(t, v, 'toRight', noLinks)).toBe(true);
    }), runs);
    await fc.assert(fc.asyncProperty(zones, zones, instants, async (zone, toZone, d) => {
      expect(await settlesAfterOneCrossing(createDate({ format: 'epoch_ms', zone, to_zone: toZone }), d.getTime(), 'toLeft', noLinks)).toBe(true);
      expect(await settlesAfterOneCrossing(createDate({ format: 'iso', zone, to_zone: toZone }), d.toISOString(), 'toLeft', noLinks)).toBe(true);
    }), runs);
  });

  it('phone_e164 on national and international numbers with separators', async () => {
    const regions = Object.keys(phoneRegions);
    const phone = fc.record({
      region: fc.constantFrom(...regions),
      national: fc.stringMatching(/^[1-9]\d{6,9}$/),
      international: fc.boolean(),
      separator: fc.constantFrom('', ' ', '-', '.'),
    }).map(({ region, national, international, separator }) => {
      const r = phoneRegions[region]!;
      const digits = r.nationalLength ? national.padEnd(r.nationalLength, '5').slice(0, r.nationalLength) : national;
      const grouped = digits.match(/.{1,3}/g)!.join(separator);
      return { region, text: international ? `+${r.callingCode}${separator}${grouped}` : `${r.trunkPrefix ?? ''}${grouped}` };
    });
    let accepted = 0;
    await fc.assert(fc.asyncProperty(phone, async ({ region, text }) => {
      if (await settlesAfterOneCrossing(createPhoneE164({ region }), text, 'toRight', noLinks)) accepted += 1;
    }), runs);
    expect(accepted).toBeGreaterThan(runs.numRuns / 2);
  });

  it('boolean_string from both sides', async () => {
    const t = createBooleanString();
    await fc.assert(fc.asyncProperty(fc.oneof(fc.boolean(), fc.constantFrom('true', 'false')), async (v) => {
      expect(await settlesAfterOneCrossing(t, v, 'toRight', noLinks)).toBe(true);
    }));
    await fc.assert(fc.asyncProperty(fc.constantFrom('true', 'false', 'TRUE', ' False'), async (v) => {
      expect(await settlesAfterOneCrossing(t, v, 'toLeft', noLinks)).toBe(true);
    }));
  });

  it('one-to-one maps, from either side, with keys given as text, numbers or booleans', async () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean());
    const oneToOne = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }), scalar), {
      minLength: 1, maxLength: 8, selector: ([, v]) => String(v),
    }).filter((entries) => new Set(entries.map(([k]) => k)).size === entries.length);
    await fc.assert(fc.asyncProperty(oneToOne, fc.nat(), fc.boolean(), async (entries, pick, fromLeft) => {
      const t = createMap(Object.fromEntries(entries));
      expect(t.invertible).toBe(true);
      const [key, value] = entries[pick % entries.length]!;
      const typedKey = key === 'true' ? true : key === 'false' ? false : /^-?[1-9]\d{0,8}$/.test(key) ? Number(key) : key;
      const ok = fromLeft
        ? await settlesAfterOneCrossing(t, typedKey, 'toRight', noLinks)
        : await settlesAfterOneCrossing(t, value, 'toLeft', noLinks);
      expect(ok).toBe(true);
    }), runs);
  });

  it('lookup through generated one-to-one links', async () => {
    const links = fc.uniqueArray(fc.tuple(fc.uuid(), fc.uuid()), { minLength: 1, maxLength: 10, selector: ([l]) => l })
      .filter((pairs) => new Set(pairs.map(([, r]) => r)).size === pairs.length);
    await fc.assert(fc.asyncProperty(links, fc.nat(), fc.boolean(), async (pairs, pick, fromLeft) => {
      const ctx = linksContext({ refs: pairs });
      const [l, r] = pairs[pick % pairs.length]!;
      expect(await settlesAfterOneCrossing(createLookup('refs'), fromLeft ? l : r, fromLeft ? 'toRight' : 'toLeft', ctx)).toBe(true);
    }), runs);
  });

  it('chains of invertible text steps ending in a one-to-one map', async () => {
    const step = fc.constantFrom(createTrim, createLowercase, createUppercase, createEmail, createIdentity);
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 4 }), fc.string(), fc.boolean(), async (factories, s, withMap) => {
      const steps = factories.map((f) => f());
      const probe = await createChain(steps).toRight(s, noLinks);
      if (!probe.ok) return;
      const chainSteps = withMap ? [...steps, createMap({ [String(probe.value)]: 'mapped', other: 'elsewhere' })] : steps;
      const t = createChain(chainSteps);
      if (!t.invertible) return; // the generated map collided ("other" twice): not a chain this property is about
      expect(await settlesAfterOneCrossing(t, s, 'toRight', noLinks)).toBe(true);
    }), runs);
  });
});

describe('transforms declared not invertible really flap', () => {
  it('a map that is not one-to-one sends some key back as another key', async () => {
    const entries = fc.tuple(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 2, maxLength: 6 }), fc.string())
      .map(([keys, shared]) => Object.fromEntries(keys.map((k, i) => [k, i < 2 ? shared : `${shared}#${i}`])));
    await fc.assert(fc.asyncProperty(entries, async (map) => {
      const t = createMap(map);
      expect(t.invertible).toBe(false);
      const keys = Object.keys(map);
      const roundTrips = await Promise.all(keys.map(async (k) => {
        const r = await t.toRight(k, noLinks);
        const l = r.ok ? await t.toLeft(r.value, noLinks) : r;
        return l.ok && l.value === k;
      }));
      expect(roundTrips.some((same) => !same)).toBe(true);
    }));
  });

  it('date formats epoch_s and date lose part of a left value', async () => {
    await fc.assert(fc.asyncProperty(instants.filter((d) => d.getUTCMilliseconds() !== 0), async (d) => {
      for (const format of ['epoch_s', 'date'] as const) {
        const t = createDate({ format });
        expect(t.invertible).toBe(false);
        const r = await t.toRight(d.toISOString(), noLinks);
        const l = r.ok ? await t.toLeft(r.value, noLinks) : r;
        expect(l.ok && l.value === d.toISOString()).toBe(false);
      }
    }));
  });
});
