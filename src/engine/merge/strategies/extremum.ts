/**
 * `max` / `min`: the larger or smaller of two numbers, or the later or earlier of two ISO-8601 dates.
 * An empty side loses to a value under both. Two dates at the same instant written differently
 * (`...Z` and `...+00:00`) go to the priority side. A value that is neither a number nor an ISO-8601
 * date, or a number against a date, is reported, never coerced.
 */
import type { Side } from '../merge-types.js';
import { parseInstant } from '../instants.js';
import { isEmptyValue } from '../value-equality.js';
import { describeValue, type ConflictSides, type Resolution } from './conflict-sides.js';

type Comparable = { kind: 'number' | 'date'; at: number };

function readComparable(v: unknown): Comparable | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return { kind: 'number', at: v };
  const at = parseInstant(v);
  return at === undefined ? undefined : { kind: 'date', at };
}

export function extremum(which: 'max' | 'min', sides: ConflictSides): Resolution {
  if (isEmptyValue(sides.left)) return { kind: 'value', winner: 'right', value: sides.right };
  if (isEmptyValue(sides.right)) return { kind: 'value', winner: 'left', value: sides.left };
  const l = readComparable(sides.left);
  const r = readComparable(sides.right);
  if (l === undefined) return notComparable(which, 'left', sides.left);
  if (r === undefined) return notComparable(which, 'right', sides.right);
  if (l.kind !== r.kind) {
    return { kind: 'invalid', side: 'right', message: `${which} cannot compare a ${l.kind} (left) with a ${r.kind} (right)` };
  }
  let winner: Side = sides.priority;
  if (l.at !== r.at) winner = (l.at > r.at) === (which === 'max') ? 'left' : 'right';
  return { kind: 'value', winner, value: winner === 'left' ? sides.left : sides.right };
}

function notComparable(which: string, side: Side, v: unknown): Resolution {
  return { kind: 'invalid', side, message: `${which} expects a number or an ISO-8601 date on the ${side} side, found ${describeValue(v)}` };
}
