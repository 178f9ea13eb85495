import type { CompiledTransform } from '../compiled-types.js';
import { createTextTransform } from './text-transform.js';

/** Lower case towards the right, unchanged back; see text-transform.ts for why this does not flap. */
export const createLowercase = (): CompiledTransform => createTextTransform('lowercase', (s) => s.toLowerCase());
