/**
 * When two field values are "the same" for the merge.
 *
 * Equality is deep and treats every empty value alike: `undefined`, `null`, a missing key, `''` and
 * `[]`, at any depth (`{ a: null }` equals `{}`). Providers spell "no value" differently (HubSpot
 * answers `''` for a cleared property, Mailchimp `''` for an unset merge field, others `null` or leave
 * the key out; lists come back as `null` or `[]`): were these different values, writing one side's
 * "nothing" into the other would be read back in the other spelling, look like a change and flap
 * forever. No user means something by choosing `''` over `null`, so no such write is ever made.
 *
 * Lists compare in order, except for fields merged as sets, which compare as sets (see `setsEqual`).
 */
import type { MergeRule } from './merge-types.js';

export function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) || isEmptyValue(b)) return isEmptyValue(a) && isEmptyValue(b);
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!valuesEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/**
 * A string that is the same for exactly the values `valuesEqual` calls equal (object keys sorted,
 * empty values spelled `null`, empty keys left out). Used as an item's identity in sets.
 */
export function canonicalValue(v: unknown): string {
  if (isEmptyValue(v)) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '0' : String(v);
  if (v instanceof Date) return `date:${v.getTime()}`;
  if (Array.isArray(v)) return `[${v.map(canonicalValue).join(',')}]`;
  if (isPlainObject(v)) {
    const parts = Object.keys(v)
      .filter((k) => !isEmptyValue(v[k]))
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalValue(v[k])}`);
    return `{${parts.join(',')}}`;
  }
  if (typeof v === 'bigint') return `${v}n`;
  return JSON.stringify(v) ?? String(v);
}

/**
 * The identity of a list item in a set: the value of its `key` where the field names one and the item
 * carries it (attendees by email), else the whole item. Keys are compared exactly, as the values come
 * (normalising them, e.g. lowercasing emails, is the field transform's job).
 */
export function itemIdentity(item: unknown, key: string | undefined): string {
  if (key !== undefined && isPlainObject(item) && !isEmptyValue(item[key])) return `key:${canonicalValue(item[key])}`;
  return `item:${canonicalValue(item)}`;
}

/** A list as a set: identity -> item (a later duplicate of an identity is dropped). Null when `v` is not a list. */
export function listAsSet(v: unknown, key: string | undefined): Map<string, unknown> | null {
  if (isEmptyValue(v)) return new Map();
  if (!Array.isArray(v)) return null;
  const set = new Map<string, unknown>();
  for (const item of v) {
    const id = itemIdentity(item, key);
    if (!set.has(id)) set.set(id, item);
  }
  return set;
}

/** Lists equal as sets: the same identities, with equal items. Falls back to `valuesEqual` for non-lists. */
export function setsEqual(a: unknown, b: unknown, key: string | undefined): boolean {
  const sa = listAsSet(a, key);
  const sb = listAsSet(b, key);
  if (sa === null || sb === null) return valuesEqual(a, b);
  if (sa.size !== sb.size) return false;
  for (const [id, item] of sa) {
    if (!sb.has(id) || !valuesEqual(item, sb.get(id))) return false;
  }
  return true;
}

/** Whether the field's values are compared as sets: fields merged with `merge-set`, directly or as a manual fallback. */
export function comparesAsSet(rule: MergeRule): boolean {
  return rule.strategy === 'merge-set' || (rule.strategy === 'manual' && rule.fallback === 'merge-set');
}

/** Equality as the field's rule sees it. */
export function fieldValuesEqual(rule: MergeRule, a: unknown, b: unknown): boolean {
  return comparesAsSet(rule) ? setsEqual(a, b, rule.key) : valuesEqual(a, b);
}
