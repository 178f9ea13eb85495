/**
 * Transforms that rewrite text one way and keep it as it is the other way (lowercase, uppercase, trim, email).
 * Invertible in Concord's sense (no flapping): the function is idempotent, so a value it produced comes back
 * from the other side unchanged and converts to itself again. The side that receives the rewritten value sees
 * it once; nothing bounces after that.
 */
import type { CompiledTransform } from '../compiled-types.js';
import { converted, describeValue, invalid, isEmpty } from './converted.js';

export function createTextTransform(name: string, rewrite: (text: string) => string): CompiledTransform {
  return {
    name,
    invertible: true,
    toRight(value) {
      if (isEmpty(value)) return converted(null);
      if (typeof value !== 'string') return invalid(`${name} expects text, found ${describeValue(value)}`);
      return converted(rewrite(value));
    },
    toLeft(value) {
      return converted(isEmpty(value) ? null : value);
    },
  };
}
