/**
 * `merge-set`: for lists (tags, attendees): base + additions from both − removals from both.
 *
 * An item is identified by its `key` field where the rule names one (attendees by email), else by its
 * whole value. An item in the base stays only if both sides still have it (a removal on either side
 * wins); an item not in the base is an addition and is kept if either side has it. When both sides hold
 * an item under the same key with different contents, the side that did not change it from the base
 * gives way; when both changed it, the later change wins (ties by priority), as `last-write-wins`.
 * A missing or null list is the empty set. Without a base, the result is the union.
 *
 * Order: the left list's order first, then the right side's additions in their order. Lists merged as
 * sets compare as sets, so the order never causes a write by itself.
 */
import { listAsSet, setsEqual, valuesEqual } from '../value-equality.js';
import { describeValue, type ConflictSides, type Resolution } from './conflict-sides.js';
import { laterSide } from './last-write-wins.js';

export function mergeSet(sides: ConflictSides): Resolution {
  const key = sides.rule.key;
  const left = listAsSet(sides.left, key);
  const right = listAsSet(sides.right, key);
  if (left === null) return notAList('left', sides.left);
  if (right === null) return notAList('right', sides.right);
  // A base that is not a list carries no set to subtract from: every item then counts as an addition.
  const base = (sides.hasBase ? listAsSet(sides.base, key) : null) ?? new Map<string, unknown>();
  const itemWinner = laterSide(sides.leftTime, sides.rightTime, sides.priority);

  const merged: unknown[] = [];
  for (const [id, l] of left) {
    if (base.has(id) && !right.has(id)) continue; // removed on the right
    if (!right.has(id)) { merged.push(l); continue; } // added on the left
    const r = right.get(id);
    const b = base.get(id);
    if (valuesEqual(l, r)) merged.push(l);
    else if (base.has(id) && valuesEqual(l, b)) merged.push(r);
    else if (base.has(id) && valuesEqual(r, b)) merged.push(l);
    else merged.push(itemWinner === 'left' ? l : r);
  }
  for (const [id, r] of right) {
    if (left.has(id) || base.has(id)) continue; // already placed, or removed on the left
    merged.push(r);
  }

  const winner = setsEqual(merged, sides.left, key) ? 'left' : setsEqual(merged, sides.right, key) ? 'right' : 'merged';
  return { kind: 'value', winner, value: merged };
}

function notAList(side: 'left' | 'right', value: unknown): Resolution {
  return { kind: 'invalid', side, message: `merge-set expects a list on the ${side} side, found ${describeValue(value)}` };
}
