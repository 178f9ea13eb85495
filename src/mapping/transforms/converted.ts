/** Building blocks every transform shares: result constructors and how values are named in messages. */
import type { Converted } from '../compiled-types.js';

export const converted = (value: unknown): Converted => ({ ok: true, value });
export const unmapped = (message: string): Converted => ({ ok: false, kind: 'unmapped', message });
export const invalid = (message: string): Converted => ({ ok: false, kind: 'invalid', message });
export const waiting = (message: string): Converted => ({ ok: false, kind: 'waiting', message });

/**
 * Empty values (absent or null) pass through every named transform as null: an unset field on one side is an
 * unset field on the other, not an error. `map` is the one exception that may give empty a counterpart.
 */
export function isEmpty(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/** A value as a message shows it: JSON, cut short. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
