/**
 * `last-write-wins`: the later change wins. Each side's time is its per-field change time where the
 * connector gives one, else the record's modification time (the caller passes whichever applies).
 * Equal times go to the pair's declared priority side, never to whichever side was read or listed
 * first, so swapping the sides (and the priority with them) picks the same system.
 */
import type { Side } from '../merge-types.js';
import { compareInstants } from '../instants.js';
import { valueOf, type ConflictSides, type Resolution } from './conflict-sides.js';

export function laterSide(leftTime: string | undefined, rightTime: string | undefined, priority: Side): Side {
  const order = compareInstants(leftTime, rightTime);
  return order > 0 ? 'left' : order < 0 ? 'right' : priority;
}

export function lastWriteWins(sides: ConflictSides): Resolution {
  const winner = laterSide(sides.leftTime, sides.rightTime, sides.priority);
  return { kind: 'value', winner, value: valueOf(sides, winner) };
}
