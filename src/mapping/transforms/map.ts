/**
 * `map: { <left value>: <right value>, ... }`: a fixed vocabulary on each side.
 *
 * Matching: YAML map keys are always text, so a left value matches a key by its text: the boolean true matches
 * "true", the number 2 matches "2" and 2.5 matches "2.5" (JavaScript's decimal text). Right values are matched the
 * same way against the map's values. Towards the left the key is written as its text ("true", "2"): the file cannot
 * say which type the left system wants, and most of them (HubSpot properties, Bitrix24 fields, 1C strings) hold text.
 *
 * Empty (absent or null) passes through as null. A map value of null gives a key the empty right value as its
 * counterpart, so the empty right value reads back as that key.
 *
 * A value outside the map is `unmapped`: reported, never guessed.
 *
 * Invertible when no two keys map to the same right value (same text) and no key maps to null, which is also what
 * an empty left value becomes; otherwise the inverse is ambiguous and the field would flap between the keys.
 */
import type { CompiledTransform } from '../compiled-types.js';
import { converted, describeValue, isEmpty, unmapped } from './converted.js';

export type MapScalar = string | number | boolean | null;

/** The text a value matches by, or undefined for values that have none (objects, lists). */
export function matchText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

export interface MapCollision {
  /** The right value two or more keys share (its text; null for the empty value). */
  value: string | null;
  keys: string[];
}

/** The right values that more than one key maps to, counting an empty left value as mapping to null. */
export function findMapCollisions(entries: Record<string, MapScalar>): MapCollision[] {
  const byValue = new Map<string | null, string[]>();
  for (const [key, value] of Object.entries(entries)) {
    const text = value === null ? null : matchText(value)!;
    byValue.set(text, [...(byValue.get(text) ?? []), key]);
  }
  return [...byValue.entries()]
    .filter(([value, keys]) => keys.length > 1 || value === null)
    .map(([value, keys]) => ({ value, keys }));
}

function describeCollisions(collisions: MapCollision[]): string {
  return collisions
    .map(({ value, keys }) => value === null
      ? `${keys.map((k) => `"${k}"`).join(' and ')} ${keys.length > 1 ? 'map' : 'maps'} to null, which is also what an empty left value becomes`
      : `${keys.map((k) => `"${k}"`).join(' and ')} all map to "${value}"`)
    .join('; ');
}

export function createMap(entries: Record<string, MapScalar>): CompiledTransform {
  const toRightTable = new Map<string, MapScalar>(Object.entries(entries));
  const toLeftTable = new Map<string, string>();
  let emptyRightKey: string | undefined;
  // With collisions the first key wins towards the left; such a map is refused on two-way fields anyway.
  for (const [key, value] of Object.entries(entries)) {
    if (value === null) {
      emptyRightKey ??= key;
    } else {
      const text = matchText(value)!;
      if (!toLeftTable.has(text)) toLeftTable.set(text, key);
    }
  }
  const collisions = findMapCollisions(entries);
  const keyList = Object.keys(entries).map((k) => `"${k}"`).join(', ');
  const valueList = [...new Set(Object.values(entries).map((v) => describeValue(v)))].join(', ');
  return {
    name: 'map',
    invertible: collisions.length === 0,
    ...(collisions.length > 0 ? { notInvertibleBecause: `the map is not one-to-one: ${describeCollisions(collisions)}` } : {}),
    toRight(value) {
      if (isEmpty(value)) return converted(null);
      const text = matchText(value);
      if (text === undefined || !toRightTable.has(text)) {
        return unmapped(`map has no entry for the left value ${describeValue(value)}; its keys are ${keyList}`);
      }
      return converted(toRightTable.get(text));
    },
    toLeft(value) {
      if (isEmpty(value)) return converted(emptyRightKey ?? null);
      const text = matchText(value);
      const key = text === undefined ? undefined : toLeftTable.get(text);
      if (key === undefined) {
        return unmapped(`map has no entry whose value is the right value ${describeValue(value)}; its values are ${valueList}`);
      }
      return converted(key);
    },
  };
}
