import type { CompiledTransform } from '../compiled-types.js';
import { createTextTransform } from './text-transform.js';

/** Upper case towards the right, unchanged back; see text-transform.ts for why this does not flap. */
export const createUppercase = (): CompiledTransform => createTextTransform('uppercase', (s) => s.toUpperCase());
