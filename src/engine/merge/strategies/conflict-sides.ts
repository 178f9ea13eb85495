/**
 * What a strategy sees when both sides changed a field differently: both values in LEFT space, the
 * base in left space, and each side's change time.
 */
import type { MergeRule, Side } from '../merge-types.js';

export interface ConflictSides {
  rule: MergeRule;
  /** The left value. */
  left: unknown;
  /** The right value converted to left space. */
  right: unknown;
  /** Whether the field has a base (false on a new link). */
  hasBase: boolean;
  /** The base's left value (left space); undefined without a base. */
  base: unknown;
  /** Each side's change time: its per-field time where the connector gives one, else the record's modification time. */
  leftTime: string | undefined;
  rightTime: string | undefined;
  /** The pair's declared priority side, for ties. */
  priority: Side;
}

/** How a strategy settles a conflict. */
export type Resolution =
  /** The agreed value (left space) and whose it is: `merged` when it is neither side's value. */
  | { kind: 'value'; winner: Side | 'merged'; value: unknown }
  /** Each side keeps its own value (`fill-empty` with two non-empty values). */
  | { kind: 'kept' }
  /** A value is not of the kind the strategy works on. */
  | { kind: 'invalid'; side: Side; message: string };

export function otherSide(side: Side): Side {
  return side === 'left' ? 'right' : 'left';
}

export function valueOf(sides: ConflictSides, side: Side): unknown {
  return side === 'left' ? sides.left : sides.right;
}

/** A short, bounded rendering of a value for messages. */
export function describeValue(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
