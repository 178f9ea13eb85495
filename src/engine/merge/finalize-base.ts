/**
 * Completing the base after the writes of a merge succeeded: the caller converted each right-bound
 * value with the field's `toRight` and wrote it; those raw right values become the base's right values.
 *
 * Only when EVERY write of the result succeeded. When one side's write landed and the other's did not
 * (a per-item failure, a stale-version answer), keep the old base and retry the failed side's write of
 * the same values (its journal intent) before merging this link again: a fresh merge against the old
 * base would see Concord's own landed write as a change, and for `sum-deltas` count the other side's
 * delta a second time (for `merge-set`, re-add what the other side removed).
 */
import { ConcordError } from '../../shared/errors/index.js';
import type { BaseDraft, MergeBase, SideVersion } from './merge-types.js';

export interface WrittenSides {
  /** Field id -> the raw value written on the right side (toRight of the decision's value). */
  rightValues: Record<string, unknown>;
  /**
   * Each written side's record version and modification time after the write, where the write's answer
   * gives them. They move the stale-read threshold forward; field versions stay unknown (see base-draft).
   */
  after?: { left?: SideVersion; right?: SideVersion };
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
  return {
    left: written.after?.left ?? draft.left,
    right: written.after?.right ?? draft.right,
    fields,
  };
}
