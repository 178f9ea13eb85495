/**
 * Writes a target refused for good. A `validation` or `permanent` answer to one item says the same write will be
 * refused again (HubSpot, for one, never lets an integration undo an e-mail opt-out), so retrying it only keeps a
 * sync from reaching quiescence. The refusal is remembered with the link's base, per field and side: the value
 * refused and what the side held then. While the merge would send that same value to a side still holding the
 * same thing, the write is left out and the field keeps its old base; once either side changes the field (the
 * source to another value, the target by a user), the marker no longer applies and the field is decided afresh.
 */
import type { WriteErrorKind } from '../../connectors/contract.js';
import type { RemoteRecord } from '../../connectors/contract.js';
import type { Side } from '../../mapping/compiled-types.js';
import type { MergeBase, RefusedWrite } from '../merge/merge-types.js';
import type { PlannedWrite } from './item-plan.js';
import { readField } from './record-fields.js';
import { sameValue } from './same-value.js';

export type RefusedWrites = NonNullable<MergeBase['refused']>;

/** Answers that the same write would get again: retrying is pointless. Other kinds are retried as before. */
export function isRefusedForGood(kind: WriteErrorKind): boolean {
  return kind === 'validation' || kind === 'permanent';
}

/** Whether `refusal` still holds for a write of `value` to a side whose record is `target`. */
export function stillRefused(refusal: RefusedWrite | undefined, path: string, value: unknown, target: RemoteRecord): refusal is RefusedWrite {
  if (!refusal) return false;
  return sameValue(refusal.value, value ?? null) && sameValue(refusal.held, readField(target.fields, path) ?? null);
}

/** The markers of one failed update: every field it carried, with the value sent and the value the side held. */
export function refusalsOf(write: PlannedWrite, reason: string, at: string): RefusedWrites {
  const out: RefusedWrites = {};
  if (write.op !== 'update') return out;
  for (const c of write.changes) out[c.fieldId] = { [write.side]: { value: c.new ?? null, held: c.old ?? null, reason, at } };
  return out;
}

/** `into` with `more` laid over it, side by side. */
export function mergeRefusals(into: RefusedWrites | undefined, more: RefusedWrites): RefusedWrites | undefined {
  const out: RefusedWrites = structuredClone(into ?? {});
  for (const [field, sides] of Object.entries(more)) out[field] = { ...out[field], ...sides };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A refusal kept on the base for `field` on `side`. */
export function keepRefusal(kept: RefusedWrites, field: string, side: Side, refusal: RefusedWrite): void {
  kept[field] = { ...kept[field], [side]: refusal };
}
