/**
 * A small model of one link for merge tests: both sides' records (version, time, values per field),
 * the stored base and the open conflicts. `mergeWorld` builds merge's input from it, converting with
 * each field's test transform as the engine would; `applyMergeResult` simulates the writes a merge
 * asks for and the base the engine then stores, so that properties can be stated about "after".
 */
import { finalizeBase, merge, type MergeBase, type MergeResult, type MergeRule, type Side, type SideVersion } from '../../../../../src/engine/merge/index.js';
import type { TestTransform } from './test-transforms.js';

export interface WorldSide {
  version: string;
  modifiedAt: string;
  values: Record<string, unknown>;
  /** Per-field change times where the simulated connector gives them. */
  fieldTimes?: Record<string, string>;
  /**
   * What a read returns while the system answers from an older copy (a lagging replica): merge sees
   * this instead of the record. Writing to the side ends it (the write's answer is the real record).
   */
  staleRead?: { version: string; modifiedAt: string; values: Record<string, unknown> };
}

/** What a read of the side returns now. */
export function readSide(side: WorldSide): { version: string; modifiedAt: string; values: Record<string, unknown> } {
  return side.staleRead ?? side;
}

export interface WorldField {
  rule: MergeRule;
  transform: TestTransform;
}

export interface World {
  fields: WorldField[];
  left: WorldSide;
  right: WorldSide;
  base: MergeBase | null;
  openConflicts: Record<string, string>;
  priority: Side;
}

export function mergeWorld(world: World, now: Date): MergeResult {
  return merge({
    fields: world.fields.map(({ rule, transform }) => {
      const left = readSide(world.left).values[rule.id];
      const right = readSide(world.right).values[rule.id];
      return {
        rule,
        left,
        right,
        leftAsRight: transform.toRight(left),
        rightAsLeft: transform.toLeft(right),
        ...(world.left.fieldTimes?.[rule.id] !== undefined ? { leftChangedAt: world.left.fieldTimes[rule.id] } : {}),
        ...(world.right.fieldTimes?.[rule.id] !== undefined ? { rightChangedAt: world.right.fieldTimes[rule.id] } : {}),
      };
    }),
    left: { version: readSide(world.left).version, modifiedAt: readSide(world.left).modifiedAt },
    right: { version: readSide(world.right).version, modifiedAt: readSide(world.right).modifiedAt },
    base: world.base,
    priority: world.priority,
    now,
    openConflicts: world.openConflicts,
  });
}

export interface ApplyOptions {
  now: Date;
  /** Whether the engine learns each written side's new version from the write's answer. Default is false. */
  reportVersions?: boolean;
  /**
   * A side whose write fails (a per-item failure, a stale-version answer) while the other side's lands: that
   * side keeps its values and version, and the engine stores the base as `finalizeBase` says for a partial write.
   */
  unwritten?: Side;
}

let writeCounter = 0;

/**
 * The world after the engine carried out `result`: values written (right-bound values converted with
 * toRight), each written side at a new version modified at `now`, the finalized base stored, conflicts
 * opened and closed. A result that is not ready changes nothing.
 */
export function applyMergeResult(world: World, result: MergeResult, options: ApplyOptions): World {
  if (!result.ready) return world;
  const at = options.now.toISOString();
  const left = cloneSide(world.left);
  const right = cloneSide(world.right);
  const rightValues: Record<string, unknown> = {};
  const lands = (side: Side) => options.unwritten !== side;
  for (const d of result.fields) {
    const field = world.fields.find((f) => f.rule.id === d.field)!;
    if (d.write.left && lands('left')) {
      left.values[d.field] = d.write.left.value;
      if (left.fieldTimes) left.fieldTimes[d.field] = at;
    }
    if (d.write.right) {
      const converted = field.transform.toRight(d.write.right.value);
      if (!converted.ok) throw new Error(`merge asked to write ${JSON.stringify(d.write.right.value)} to the right of ${d.field}, which has no right value: ${converted.message}`);
      rightValues[d.field] = converted.value;
      if (!lands('right')) continue;
      right.values[d.field] = converted.value;
      if (right.fieldTimes) right.fieldTimes[d.field] = at;
    }
  }
  const after: { left?: SideVersion; right?: SideVersion } = {};
  for (const [side, written, record] of [['left', result.writes.left, left], ['right', result.writes.right, right]] as const) {
    if (!written || !lands(side)) continue;
    writeCounter += 1;
    delete record.staleRead;
    record.version = `${side}-w${writeCounter}`;
    record.modifiedAt = at;
    after[side] = { version: record.version, modifiedAt: at };
  }
  const openConflicts = { ...world.openConflicts };
  for (const d of result.fields) {
    if (d.outcome.kind === 'held' && d.outcome.conflict.isNew) openConflicts[d.field] = d.outcome.conflict.openedAt;
  }
  // As the engine does: conflicts are closed only when every write landed.
  if (!options.unwritten) for (const id of result.conflictsClosed) delete openConflicts[id];
  return {
    ...world,
    left,
    right,
    base: finalizeBase(result.base, {
      rightValues, ...(options.reportVersions ? { after } : {}),
      ...(options.unwritten ? { unwritten: { side: options.unwritten, old: world.base } } : {}),
    }),
    openConflicts,
  };
}

function cloneSide(s: WorldSide): WorldSide {
  return { ...s, values: { ...s.values }, ...(s.fieldTimes ? { fieldTimes: { ...s.fieldTimes } } : {}) };
}

/** The same link seen from the other side: left and right swapped, with the priority and one-way directions. */
export function swapSides(world: World): World {
  const mirror = { 'both': 'both', 'left-to-right': 'right-to-left', 'right-to-left': 'left-to-right' } as const;
  const strategy = (s: MergeRule['strategy']) => (s === 'prefer-left' ? 'prefer-right' : s === 'prefer-right' ? 'prefer-left' : s);
  return {
    fields: world.fields.map(({ rule, transform }) => ({
      rule: {
        ...rule, left: rule.right, right: rule.left, direction: mirror[rule.direction], strategy: strategy(rule.strategy),
        ...(rule.fallback ? { fallback: strategy(rule.fallback) as NonNullable<MergeRule['fallback']> } : {}),
      },
      transform: { name: `swapped ${transform.name}`, toRight: transform.toLeft, toLeft: transform.toRight },
    })),
    left: world.right,
    right: world.left,
    base: world.base && {
      left: world.base.right,
      right: world.base.left,
      fields: Object.fromEntries(Object.entries(world.base.fields).map(([id, f]) => [id, { left: f.right, right: f.left }])),
    },
    openConflicts: world.openConflicts,
    priority: world.priority === 'left' ? 'right' : 'left',
  };
}

/** A rule with the defaults tests usually want. */
export function rule(id: string, over: Partial<MergeRule> = {}): MergeRule {
  return { id, left: id, right: id, direction: 'both', strategy: 'last-write-wins', ...over };
}
