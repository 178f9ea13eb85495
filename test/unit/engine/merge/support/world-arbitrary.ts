/**
 * Random links for the merge properties: random mappings (every strategy and direction, identity and
 * invertible non-trivial transforms), random bases that both sides agreed on, and random current
 * records, unchanged (at the base version), changed, or read stale.
 *
 * The bases are realistic: a base is what both sides held after a merge, so its right value is
 * toRight of its left value, and a side at the version a field's base was read at still holds that
 * base value. Anything else is fair game, including empty values of every spelling.
 */
import fc from 'fast-check';
import type { FieldBase, MergeBase, MergeRule, SettlingStrategy, Side } from '../../../../../src/engine/merge/index.js';
import type { World, WorldField, WorldSide } from './merge-world.js';
import { T0, T1, T2, T3 } from './one-field.js';
import { hundredths, identity, lowercaseIdentity, type TestTransform } from './test-transforms.js';

type Kind = 'text' | 'number' | 'list' | 'keyed' | 'date';
type G = fc.GeneratorValue;
type FieldSpec = WorldField & { kind: Kind };

const pick = <T>(g: G, items: readonly T[]): T => g(fc.constantFrom as (...values: T[]) => fc.Arbitrary<T>, ...items);

const kindsFor: Record<MergeRule['strategy'], Kind[]> = {
  'prefer-left': ['text', 'number', 'list'],
  'prefer-right': ['text', 'number', 'list'],
  'last-write-wins': ['text', 'number', 'list', 'date'],
  'manual': ['text', 'number'],
  'fill-empty': ['text', 'number', 'list'],
  'merge-set': ['list', 'keyed'],
  'sum-deltas': ['number'],
  'max': ['number', 'date'],
  'min': ['number', 'date'],
};
const transformsFor: Record<Kind, TestTransform[]> = {
  text: [identity, lowercaseIdentity],
  number: [identity, hundredths],
  list: [identity, lowercaseIdentity],
  keyed: [identity],
  date: [identity],
};
// Built once: arbitraries made afresh inside every draw make generation many times slower.
const listArbitraries = {
  mixedCase: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'A'), { maxLength: 4 }),
  lowercase: fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 }),
  rightSpelling: fc.array(fc.constantFrom('a', 'B', 'c', 'D'), { maxLength: 4 }),
  keyed: fc.array(fc.record({ email: fc.constantFrom('a@x.io', 'b@x.io', 'c@x.io'), status: fc.constantFrom('yes', 'no') }), { maxLength: 3 }),
};
const listOf = (which: keyof typeof listArbitraries) => listArbitraries[which] as fc.Arbitrary<unknown[]>;
const dates = ['2026-03-01T10:00:00.000Z', '2026-03-01T12:00:00+02:00', '2026-03-02', '2026-02-28T23:00:00Z'];

export interface WorldOptions {
  /** Only identity transforms (for the left/right symmetry property). Default is false. */
  identityOnly?: boolean;
  strategies?: readonly MergeRule['strategy'][];
  directions?: readonly MergeRule['direction'][];
}

function fieldSpec(g: G, i: number, o: WorldOptions): FieldSpec {
  const strategy = pick(g, o.strategies ?? (Object.keys(kindsFor) as MergeRule['strategy'][]));
  const kind = pick(g, kindsFor[strategy]);
  const transform = o.identityOnly ? identity : pick(g, transformsFor[kind]);
  const direction = pick(g, o.directions ?? (['both', 'both', 'left-to-right', 'right-to-left'] as const));
  const rule: MergeRule = { id: `f${i}`, left: `l${i}`, right: `r${i}`, direction, strategy };
  if (kind === 'keyed') Object.assign(rule, { key: 'email' });
  if (strategy === 'manual' && g(fc.boolean)) {
    const fallbacks: SettlingStrategy[] = ['prefer-left', 'prefer-right', 'last-write-wins', 'fill-empty', ...(kind === 'number' ? ['max', 'min', 'sum-deltas'] as const : [])];
    Object.assign(rule, { fallback: pick(g, fallbacks), fallbackAfterMs: pick(g, [0, 3600_000, 10 * 86400_000]) });
  }
  return { rule, transform, kind };
}

/** A value in the left side's domain: one that toRight accepts and toLeft gives back. */
function leftValue(g: G, f: FieldSpec): unknown {
  const empty = pick(g, [null, undefined, '', 'none', 'none', 'none', 'none'] as const);
  if (empty !== 'none' && !(f.kind === 'number' && empty === '')) return empty;
  switch (f.kind) {
    case 'text': return pick(g, f.transform === identity ? ['a', 'b', 'c', 'A', 'B'] : ['a', 'b', 'c']);
    case 'number': return g(fc.integer, { min: -3, max: 12 });
    case 'list': return g(listOf, f.transform === identity ? 'mixedCase' : 'lowercase');
    case 'keyed': return g(listOf, 'keyed');
    case 'date': return pick(g, dates);
  }
}

/** A value as the right side may hold it: mostly the counterpart of a left value, sometimes its own spelling. */
function rightValue(g: G, f: FieldSpec): unknown {
  if (g(fc.integer, { min: 0, max: 4 }) > 0) {
    const converted = f.transform.toRight(leftValue(g, f));
    if (converted.ok) return converted.value;
  }
  switch (f.kind) {
    case 'text': return pick(g, ['A', 'Bb', 'c', '']);
    case 'number': return g(fc.integer, { min: -300, max: 1500 });
    case 'list': return g(listOf, 'rightSpelling');
    default: return leftValue(g, f);
  }
}

type Mode = 'same' | 'changed' | 'stale';

function side(
  g: G, s: Side, fields: FieldSpec[], base: MergeBase | null, mode: Mode,
  value: (f: FieldSpec) => unknown,
): WorldSide {
  const baseVersion = `${s}-1`;
  const current: WorldSide = mode === 'changed' || base === null
    ? { version: `${s}-2`, modifiedAt: pick(g, [T1, T2, T3]), values: {} }
    : { version: baseVersion, modifiedAt: T1, values: {} };
  for (const f of fields) {
    const fb = base?.fields[f.rule.id]?.[s];
    const atBaseVersion = fb !== undefined && fb.version === current.version;
    current.values[f.rule.id] = atBaseVersion || (fb !== undefined && g(fc.boolean)) ? fb.value : value(f);
  }
  if (g(fc.boolean)) {
    current.fieldTimes = Object.fromEntries(fields.filter(() => g(fc.boolean)).map((f) => [f.rule.id, pick(g, [T0, T1, T2, T3])]));
  }
  if (mode === 'stale' && base !== null) {
    // The read answers from a copy older than the base; the record itself still holds the base
    // values (and, where a field has no base, what the old copy shows).
    current.staleRead = { version: `${s}-0`, modifiedAt: T0, values: Object.fromEntries(fields.map((f) => [f.rule.id, value(f)])) };
    for (const f of fields) {
      const fb = base.fields[f.rule.id]?.[s];
      current.values[f.rule.id] = fb !== undefined ? fb.value : current.staleRead.values[f.rule.id];
    }
  }
  return current;
}

export function worldArbitrary(options: WorldOptions = {}): fc.Arbitrary<World> {
  return fc.gen().map((g) => {
    const fields = Array.from({ length: g(fc.integer, { min: 1, max: 4 }) }, (_, i) => fieldSpec(g, i, options));
    let base: MergeBase | null = null;
    if (g(fc.integer, { min: 0, max: 4 }) > 0) {
      base = { left: { version: 'left-1', modifiedAt: T1 }, right: { version: 'right-1', modifiedAt: T1 }, fields: {} };
      for (const f of fields) {
        if (g(fc.integer, { min: 0, max: 6 }) === 0) continue; // no base for this field (held since linking, or new in the mapping)
        const left = leftValue(g, f);
        const right = f.transform.toRight(left);
        if (!right.ok) continue;
        const version = (s: Side) => pick(g, [`${s}-1`, `${s}-1`, `${s}-0`, null]);
        const entry: FieldBase = {
          left: { value: left, version: version('left'), changedAt: T1 },
          right: { value: right.value, version: version('right'), changedAt: T1 },
        };
        base.fields[f.rule.id] = entry;
      }
    }
    const modes: Mode[] = base === null ? ['changed'] : ['same', 'same', 'changed', 'changed', 'changed', 'stale'];
    const left = side(g, 'left', fields, base, pick(g, modes), (f) => leftValue(g, f));
    const right = side(g, 'right', fields, base, pick(g, modes), (f) => rightValue(g, f));
    const openConflicts: Record<string, string> = {};
    for (const f of fields) {
      if (f.rule.strategy === 'manual' && g(fc.boolean)) openConflicts[f.rule.id] = pick(g, [T0, T3]);
    }
    return { fields: fields.map(({ rule, transform }) => ({ rule, transform })), left, right, base, openConflicts, priority: pick(g, ['left', 'right'] as const) };
  });
}
