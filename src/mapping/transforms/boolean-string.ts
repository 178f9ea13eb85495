/**
 * `boolean_string`: a boolean on the left, the text "true" / "false" on the right (systems that keep flags in
 * text fields). The left may already hold the text "true"/"false" (HubSpot returns every property as text).
 * The right is read case-insensitively, with surrounding spaces ignored; anything else is `invalid`.
 *
 * Invertible: two values each way, one-to-one.
 */
import type { CompiledTransform } from '../compiled-types.js';
import { converted, describeValue, invalid, isEmpty } from './converted.js';

function readFlag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

export function createBooleanString(): CompiledTransform {
  return {
    name: 'boolean_string',
    invertible: true,
    toRight(value) {
      if (isEmpty(value)) return converted(null);
      const flag = readFlag(value);
      if (flag === undefined) return invalid(`boolean_string expects true or false on the left, found ${describeValue(value)}`);
      return converted(flag ? 'true' : 'false');
    },
    toLeft(value) {
      if (isEmpty(value)) return converted(null);
      const flag = typeof value === 'string' ? readFlag(value) : undefined;
      if (flag === undefined) return invalid(`boolean_string expects the text "true" or "false" on the right, found ${describeValue(value)}`);
      return converted(flag);
    },
  };
}
