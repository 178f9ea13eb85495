/** `prefer-left` / `prefer-right`: that side is the source of truth for the field. */
import type { Side } from '../merge-types.js';
import { valueOf, type ConflictSides, type Resolution } from './conflict-sides.js';

export function preferSide(side: Side, sides: ConflictSides): Resolution {
  return { kind: 'value', winner: side, value: valueOf(sides, side) };
}
