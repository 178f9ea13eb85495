import type { CompiledTransform } from '../compiled-types.js';
import { createTextTransform } from './text-transform.js';

/**
 * An address trimmed and lower-cased towards the right, unchanged back. Lower-casing the local part is what
 * every system in scope does in practice (HubSpot and Mailchimp treat addresses case-insensitively).
 */
export const createEmail = (): CompiledTransform => createTextTransform('email', (s) => s.trim().toLowerCase());
