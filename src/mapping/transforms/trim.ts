import type { CompiledTransform } from '../compiled-types.js';
import { createTextTransform } from './text-transform.js';

/** Leading and trailing white space removed towards the right, unchanged back. */
export const createTrim = (): CompiledTransform => createTextTransform('trim', (s) => s.trim());
