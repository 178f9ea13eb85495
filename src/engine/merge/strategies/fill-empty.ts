/**
 * `fill-empty`: a side's value is written only where the other side is empty (null, missing, '' or
 * []). Two different non-empty values are both kept. Sync never empties a field under this strategy:
 * a side cleared by a user is filled again from the other side, which is what "fill where empty" says.
 */
import { isEmptyValue } from '../value-equality.js';
import type { ConflictSides, Resolution } from './conflict-sides.js';

export function fillEmpty(sides: ConflictSides): Resolution {
  if (isEmptyValue(sides.left)) return { kind: 'value', winner: 'right', value: sides.right };
  if (isEmptyValue(sides.right)) return { kind: 'value', winner: 'left', value: sides.left };
  return { kind: 'kept' };
}
