/**
 * Whether a value a system holds is still the value Concord wrote to it, for the not-kept warning after a write
 * and for rollback's "changed since" test. Stricter than the merge's equality only where it must be:
 * - a list merged as a set is kept in any order (Mailchimp answers tags sorted);
 * - a match field is compared under its normaliser (Mailchimp keeps the address an existing member already had,
 *   in its own case, when an upsert by email reaches it);
 * - empty spellings are alike ('' and a missing key: Mailchimp answers every merge field, set or not).
 */
import type { CompiledMapping, Side } from '../../mapping/compiled-types.js';
import { listAsSet, valuesEqual } from '../merge/value-equality.js';

export function keptAsWritten(mapping: CompiledMapping, side: Side, path: string, kept: unknown, written: unknown): boolean {
  const field = mapping.fields.find((f) => f[side] === path);
  if (field?.strategy === 'merge-set') {
    const a = listAsSet(kept, field.key);
    const b = listAsSet(written, field.key);
    if (a && b) return a.size === b.size && [...a.keys()].every((id) => b.has(id));
  }
  for (const rule of mapping.match) {
    if (rule[side] !== path) continue;
    const a = rule.normalize(kept);
    if (a !== undefined && a === rule.normalize(written)) return true;
  }
  return valuesEqual(kept, written);
}
