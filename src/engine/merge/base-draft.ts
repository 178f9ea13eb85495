/**
 * The base merge proposes: per field, what both sides hold once the decided writes are made.
 *
 * A field whose decision leaves it alone (held, stale, unmappable, waiting) keeps its old base, so the
 * same difference is seen again next time. A field written on a side gets version null there: the
 * value is compared next time instead of trusting the version, because a provider may store a written
 * value differently than sent (lowercased email, formatted phone) and that must not go unseen.
 */
import type { BaseDraft, FieldBase, FieldBaseSide, FieldDecision, FieldInput, MergeInput, Side } from './merge-types.js';

const leavesBaseAlone = new Set(['held', 'stale', 'unmappable', 'waiting']);

export function draftBase(
  input: MergeInput,
  decisions: readonly FieldDecision[],
  stale: { left: boolean; right: boolean },
): BaseDraft {
  const at = input.now.toISOString();
  const draft: BaseDraft = {
    left: stale.left && input.base ? input.base.left : { version: input.left.version, modifiedAt: input.left.modifiedAt },
    right: stale.right && input.base ? input.base.right : { version: input.right.version, modifiedAt: input.right.modifiedAt },
    fields: {},
    pendingRight: [],
    written: { left: [], right: [] },
    at,
    held: {},
  };
  decisions.forEach((d, i) => {
    const field = input.fields[i]!;
    const old = input.base?.fields[d.field];
    if (leavesBaseAlone.has(d.outcome.kind)) {
      if (old) draft.fields[d.field] = old;
      return;
    }
    const entry: FieldBase = {
      left: d.write.left ? { value: d.write.left.value, version: null, changedAt: at } : sideEntry(input, field, d, old, 'left', stale.left),
      right: d.write.right ? { value: undefined, version: null, changedAt: at } : sideEntry(input, field, d, old, 'right', stale.right),
    };
    if (d.write.left) draft.written.left.push(d.field);
    if (d.write.right) {
      draft.written.right.push(d.field);
      draft.pendingRight.push(d.field);
    }
    if (d.write.left && d.write.right) {
      const right = field.rightAsLeft.ok ? field.rightAsLeft.value : undefined;
      draft.held[d.field] = { left: { held: field.left, heldAsLeft: field.left }, right: { held: field.right, heldAsLeft: right } };
    }
    draft.fields[d.field] = entry;
  });
  return draft;
}

/** A side that is not written: its current value, unless its read is stale (then the old base stays). */
function sideEntry(
  input: MergeInput,
  field: FieldInput,
  d: FieldDecision,
  old: FieldBase | undefined,
  side: Side,
  stale: boolean,
): FieldBaseSide {
  if (stale && old) return old[side];
  const record = input[side];
  const value = side === 'left' ? field.left : field.right;
  const fieldTime = side === 'left' ? field.leftChangedAt : field.rightChangedAt;
  const changedAt = d.changed[side] || !old ? fieldTime ?? record.modifiedAt : old[side].changedAt;
  return { value, version: record.version, changedAt };
}
