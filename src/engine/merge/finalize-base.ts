/**
 * Completing the base after the writes of a merge succeeded: the caller converted each right-bound
 * value with the field's `toRight` and wrote it; those raw right values become the base's right values.
 *
 * When one side's writes landed and the other's did not (a per-item failure, a stale-version answer), say so
 * with `unwritten`: a fresh merge against the old base would see Concord's own landed write as a change, and for
 * `sum-deltas` count the other side's delta a second time (for `merge-set`, re-add what the other side removed
 * since). Fields written on both sides then keep the agreed value with a `pending` marker on the unwritten side
 * (what it held when the value was decided); fields written on the unwritten side only keep their old base.
 */
import { ConcordError } from '../../shared/errors/index.js';
import type { BaseDraft, FieldBase, MergeBase, Side, SideVersion } from './merge-types.js';

export interface WrittenSides {
  /** Field id -> the raw value written on the right side (toRight of the decision's value). */
  rightValues: Record<string, unknown>;
  /**
   * Each written side's record version and modification time after the write, where the write's answer
   * gives them. They move the stale-read threshold forward; field versions stay unknown (see base-draft).
   */
  after?: { left?: SideVersion; right?: SideVersion };
  /** The side whose writes did not land while the other side's did, with the base stored before this merge. */
  unwritten?: { side: Side; old: MergeBase | null };
}

export function finalizeBase(draft: BaseDraft, written: WrittenSides): MergeBase {
  const fields = { ...draft.fields };
  const missing = draft.pendingRight.filter((id) => !Object.hasOwn(written.rightValues, id));
  if (missing.length > 0) {
    throw new ConcordError(
      'CONCORD_ERR_ENGINE_MERGE_BASE_INCOMPLETE',
      `finalizeBase: the right value written for field(s) ${missing.join(', ')} was not given; ` +
        `expected one entry in rightValues per field of draft.pendingRight (${draft.pendingRight.join(', ')}), ` +
        `found entries for: ${Object.keys(written.rightValues).join(', ') || 'none'}`,
      { missing },
    );
  }
  for (const id of draft.pendingRight) {
    const entry = fields[id]!;
    fields[id] = { left: entry.left, right: { ...entry.right, value: written.rightValues[id] } };
  }
  if (written.unwritten) markUnwritten(draft, fields, written.unwritten.side, written.unwritten.old);
  return {
    left: written.after?.left ?? draft.left,
    right: written.after?.right ?? draft.right,
    fields,
  };
}

function markUnwritten(draft: BaseDraft, fields: Record<string, FieldBase>, side: Side, old: MergeBase | null): void {
  const other: Side = side === 'left' ? 'right' : 'left';
  for (const id of draft.written[side]) {
    const held = draft.held[id]?.[side];
    if (held !== undefined && draft.written[other].includes(id)) {
      const entry = fields[id]!;
      fields[id] = { ...entry, [side]: { ...entry[side], pending: held } } as FieldBase;
      continue;
    }
    const prev = old?.fields[id];
    if (prev) fields[id] = prev;
    else delete fields[id];
  }
}
