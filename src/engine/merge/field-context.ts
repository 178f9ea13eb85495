/**
 * Everything the decision for one field needs, gathered once by `merge`, and the small builders the
 * decision modules share.
 */
import type { Converted, FieldBase, FieldDecision, FieldInput, FieldOutcome, MergeRule, Side, SideRecord } from './merge-types.js';

export interface FieldContext {
  input: FieldInput;
  rule: MergeRule;
  leftRecord: SideRecord;
  rightRecord: SideRecord;
  /** The field's base, if any. */
  base: FieldBase | undefined;
  /** Whether each side's read is stale (older than the base). */
  stale: { left: boolean; right: boolean };
  /** Whether each side changed the field since the base (a stale side never counts as changed). */
  changed: { left: boolean; right: boolean };
  priority: Side;
  now: Date;
  /** When an open manual conflict on this field was opened, if one is. */
  openedAt: string | undefined;
}

/** The outcome for a conversion that failed, or undefined when it succeeded. */
export function conversionFailure(side: Side, c: Converted): FieldOutcome | undefined {
  if (c.ok) return undefined;
  if (c.kind === 'waiting') return { kind: 'waiting', side, message: c.message };
  return { kind: 'unmappable', side, reason: c.kind, message: c.message };
}

/** `c`'s value when it converted; only call after `conversionFailure` returned undefined. */
export function convertedValue(c: Converted): unknown {
  return c.ok ? c.value : undefined;
}

export function decision(ctx: FieldContext, outcome: FieldOutcome, write: FieldDecision['write'] = {}): FieldDecision {
  return { field: ctx.rule.id, outcome, write, changed: ctx.changed };
}

/** A decision that writes `value` (left space) on `to`. */
export function writeTo(ctx: FieldContext, to: Side, outcome: FieldOutcome, value: unknown): FieldDecision {
  return decision(ctx, outcome, to === 'left' ? { left: { value } } : { right: { value } });
}

/** The time a side changed the field: its per-field time where given, else the record's modification time. */
export function changeTime(ctx: FieldContext, side: Side): string {
  return side === 'left'
    ? ctx.input.leftChangedAt ?? ctx.leftRecord.modifiedAt
    : ctx.input.rightChangedAt ?? ctx.rightRecord.modifiedAt;
}
