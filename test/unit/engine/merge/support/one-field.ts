/** A one-field link, the shape most example tests need: base values, current values, times. */
import type { MergeResult, MergeRule, Side } from '../../../../../src/engine/merge/index.js';
import { mergeWorld, rule as makeRule, type World } from './merge-world.js';
import { identity, type TestTransform } from './test-transforms.js';

export const T0 = '2026-03-01T08:00:00.000Z';
export const T1 = '2026-03-01T09:00:00.000Z';
export const T2 = '2026-03-01T10:00:00.000Z';
export const T3 = '2026-03-01T11:00:00.000Z';
export const NOW = new Date('2026-03-01T12:00:00.000Z');

export interface OneField {
  rule?: Partial<MergeRule>;
  transform?: TestTransform;
  /** Raw left and right base values (both sides stored at version v1, time T1), or null for a new link. */
  base?: [unknown, unknown] | null;
  left: unknown;
  right: unknown;
  /** Record versions now. Default is v2 on both sides (changed records, values compared). */
  leftVersion?: string;
  rightVersion?: string;
  /** Record modification times now. Default is T2. */
  leftModifiedAt?: string;
  rightModifiedAt?: string;
  leftFieldTime?: string;
  rightFieldTime?: string;
  priority?: Side;
  openedAt?: string;
  now?: Date;
}

export const FIELD = 'f';

export function oneFieldWorld(o: OneField): World {
  const r = makeRule(FIELD, o.rule);
  const base = o.base === undefined || o.base === null ? null : {
    left: { version: 'v1', modifiedAt: T1 },
    right: { version: 'v1', modifiedAt: T1 },
    fields: {
      [FIELD]: {
        left: { value: o.base[0], version: 'v1', changedAt: T1 },
        right: { value: o.base[1], version: 'v1', changedAt: T1 },
      },
    },
  };
  return {
    fields: [{ rule: r, transform: o.transform ?? identity }],
    left: {
      version: o.leftVersion ?? 'v2',
      modifiedAt: o.leftModifiedAt ?? T2,
      values: { [FIELD]: o.left },
      ...(o.leftFieldTime ? { fieldTimes: { [FIELD]: o.leftFieldTime } } : {}),
    },
    right: {
      version: o.rightVersion ?? 'v2',
      modifiedAt: o.rightModifiedAt ?? T2,
      values: { [FIELD]: o.right },
      ...(o.rightFieldTime ? { fieldTimes: { [FIELD]: o.rightFieldTime } } : {}),
    },
    base,
    openConflicts: o.openedAt ? { [FIELD]: o.openedAt } : {},
    priority: o.priority ?? 'left',
  };
}

export function mergeOneField(o: OneField): { world: World; result: MergeResult; decision: MergeResult['fields'][number] } {
  const world = oneFieldWorld(o);
  const result = mergeWorld(world, o.now ?? NOW);
  return { world, result, decision: result.fields[0]! };
}
