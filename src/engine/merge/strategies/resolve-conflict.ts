/** Dispatch from a settling strategy to its rule. `manual` is not here: holding needs time and open conflicts. */
import type { SettlingStrategy } from '../merge-types.js';
import type { ConflictSides, Resolution } from './conflict-sides.js';
import { extremum } from './extremum.js';
import { fillEmpty } from './fill-empty.js';
import { lastWriteWins } from './last-write-wins.js';
import { mergeSet } from './merge-set.js';
import { preferSide } from './prefer-side.js';
import { sumDeltas } from './sum-deltas.js';

export function resolveConflict(strategy: SettlingStrategy, sides: ConflictSides): Resolution {
  switch (strategy) {
    case 'prefer-left': return preferSide('left', sides);
    case 'prefer-right': return preferSide('right', sides);
    case 'last-write-wins': return lastWriteWins(sides);
    case 'merge-set': return mergeSet(sides);
    case 'sum-deltas': return sumDeltas(sides);
    case 'fill-empty': return fillEmpty(sides);
    case 'max': return extremum('max', sides);
    case 'min': return extremum('min', sides);
  }
}
