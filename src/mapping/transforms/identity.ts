import type { CompiledTransform } from '../compiled-types.js';
import { converted } from './converted.js';

/** The transform of a field without one: values cross unchanged (absent becomes null). */
export function createIdentity(): CompiledTransform {
  const same = (value: unknown) => converted(value === undefined ? null : value);
  return { name: 'identity', invertible: true, toRight: same, toLeft: same };
}
