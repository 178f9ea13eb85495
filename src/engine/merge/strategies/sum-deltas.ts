/**
 * `sum-deltas`: for counters (stock): base + (left − base) + (right − base), so that concurrent sales
 * on both sides both count. Computed in left space with exact decimal arithmetic.
 *
 * Without a base (a new link) there are no deltas to add: the pair's priority side holds the count
 * (guessing a zero base would double stock). A side that holds no number is reported, not read as 0.
 */
import { isEmptyValue } from '../value-equality.js';
import { describeValue, valueOf, type ConflictSides, type Resolution } from './conflict-sides.js';
import { sumExactly } from './decimal-sum.js';

export function sumDeltas(sides: ConflictSides): Resolution {
  for (const side of ['left', 'right'] as const) {
    const v = valueOf(sides, side);
    if (!isFiniteNumber(v)) {
      return { kind: 'invalid', side, message: `sum-deltas expects a number on the ${side} side, found ${describeValue(v)}` };
    }
  }
  const left = sides.left as number;
  const right = sides.right as number;
  if (!sides.hasBase || isEmptyValue(sides.base)) {
    return { kind: 'value', winner: sides.priority, value: valueOf(sides, sides.priority) };
  }
  if (!isFiniteNumber(sides.base)) {
    return { kind: 'invalid', side: 'left', message: `sum-deltas expects a number as the base, found ${describeValue(sides.base)}` };
  }
  const value = sumExactly([left, right, -sides.base]);
  const winner = value === left ? 'left' : value === right ? 'right' : 'merged';
  return { kind: 'value', winner, value };
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
