/**
 * A field whose last agreed value reached one side only (see `FieldBaseSide.pending`). The side that did not get
 * it is merged as if the write had landed and its user's changes since had been made on top of it: its
 * "effective" value is the agreed value plus what changed since `held`, counted the way the strategy counts
 * (a delta for `sum-deltas`, additions and removals for `merge-set`, the new value for the others). That value
 * is what merge compares and decides with, and the side is written whenever it does not hold the outcome,
 * which re-sends the agreed value when nothing else changed.
 */
import type { FieldBase, FieldDecision, FieldInput, FieldOutcome, MergeRule, Side } from './merge-types.js';
import { sumExactly } from './strategies/decimal-sum.js';
import { fieldValuesEqual, listAsSet, valuesEqual } from './value-equality.js';

export interface PendingSide {
  side: Side;
  /** The effective value in left space. */
  effective: unknown;
  /** Whether the side's user changed the field since the agreed value was decided. */
  changed: boolean;
  /** The side's current value in left space, or undefined when it could not be converted. */
  current: { value: unknown } | undefined;
}

/** The pending side of a two-way field, or undefined when the field has none (or a read is stale). */
export function pendingSideOf(rule: MergeRule, input: FieldInput, base: FieldBase | undefined, stale: boolean): PendingSide | undefined {
  if (rule.direction !== 'both' || base === undefined || stale) return undefined;
  const side: Side | undefined = base.left.pending ? 'left' : base.right.pending ? 'right' : undefined;
  if (side === undefined) return undefined;
  const pending = base[side].pending!;
  const raw = side === 'left' ? input.left : input.right;
  const converted = side === 'left' ? { ok: true as const, value: input.left } : input.rightAsLeft;
  const current = converted.ok ? { value: converted.value } : undefined;
  const agreed = base.left.value;
  if (fieldValuesEqual(rule, raw, pending.held)) return { side, effective: agreed, changed: false, current };
  // A value that cannot be read in left space carries no delta: the side's own value then counts as its change.
  const effective = current === undefined ? undefined : applyChange(rule, agreed, pending.heldAsLeft, current.value);
  return { side, effective, changed: effective === undefined || !fieldValuesEqual(rule, effective, agreed), current };
}

/** `agreed` with the change from `held` to `now` made on top of it, as the field's strategy counts changes. */
function applyChange(rule: MergeRule, agreed: unknown, held: unknown, now: unknown): unknown {
  if (rule.strategy === 'sum-deltas' && [agreed, held, now].every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return sumExactly([agreed as number, now as number, -(held as number)]);
  }
  if (rule.strategy === 'merge-set') {
    const a = listAsSet(agreed, rule.key) ?? new Map<string, unknown>();
    const h = listAsSet(held, rule.key);
    const n = listAsSet(now, rule.key);
    if (h !== null && n !== null) {
      const out: unknown[] = [];
      for (const [id, item] of a) {
        if (h.has(id) && !n.has(id)) continue; // removed since
        // An item the side edited since (same key, new contents) carries its edit.
        out.push(h.has(id) && n.has(id) && !valuesEqual(n.get(id), h.get(id)) ? n.get(id) : item);
      }
      for (const [id, item] of n) if (!h.has(id) && !a.has(id)) out.push(item); // added since
      return out;
    }
  }
  return now;
}

/** The FieldInput merge decides with: the pending side's value replaced by its effective value. */
export function effectiveInput(input: FieldInput, p: PendingSide, base: FieldBase): FieldInput {
  // A current value that cannot be converted is decided on as it is (it is reported as unmappable).
  if (p.current === undefined && p.changed) return input;
  if (p.side === 'left') {
    // The left value is in left space already; its conversion is the agreed right value where nothing changed.
    return { ...input, left: p.effective, leftAsRight: p.changed ? input.leftAsRight : { ok: true, value: base.right.value } };
  }
  return { ...input, right: p.changed ? input.right : base.right.value, rightAsLeft: { ok: true, value: p.effective } };
}

/**
 * The decision with the pending side written whenever it does not hold the outcome: the agreed value is re-sent
 * (or the effective value, when its user changed it since), unless the field is held, stale or not mappable.
 */
export function withPendingWrite(rule: MergeRule, d: FieldDecision, p: PendingSide): FieldDecision {
  const o = d.outcome;
  if (d.write[p.side] !== undefined) return d;
  if (o.kind !== 'none' && o.kind !== 'propagate' && o.kind !== 'converge' && o.kind !== 'settled') return d;
  const shouldHold = o.kind === 'none' ? p.effective : o.value;
  if (p.current !== undefined && fieldValuesEqual(rule, p.current.value, shouldHold)) return d;
  const outcome: FieldOutcome = o.kind === 'none' ? { kind: 'propagate', to: p.side, value: shouldHold, reason: 'resent' } : o;
  return { ...d, outcome, write: { ...d.write, [p.side]: { value: shouldHold } } };
}
