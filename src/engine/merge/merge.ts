/**
 * The three-way field merge (DESIGN §2 step 4): pure and synchronous. See merge-types.ts for the
 * contract and decide-two-way.ts / decide-one-way.ts for the rules per field.
 */
import { ConcordError } from '../../shared/errors/index.js';
import type { FieldDecision, MergeInput, MergeResult, Side } from './merge-types.js';
import { draftBase } from './base-draft.js';
import { hasSideChanged, isStaleRead } from './change-detection.js';
import { decideOneWay } from './decide-one-way.js';
import { decideTwoWay } from './decide-two-way.js';
import type { FieldContext } from './field-context.js';
import { effectiveInput, pendingSideOf, withPendingWrite } from './pending-side.js';

/** Outcomes after which an open manual conflict on the field no longer holds. */
const closesConflict = new Set(['none', 'propagate', 'converge', 'settled', 'kept']);

export function merge(input: MergeInput): MergeResult {
  assertDistinctFields(input);
  const stale = {
    left: isStaleRead(input.left, input.base?.left),
    right: isStaleRead(input.right, input.base?.right),
  };
  const openConflicts = input.openConflicts ?? {};

  const decisions: FieldDecision[] = input.fields.map((field) => {
    const rule = field.rule;
    const base = input.base?.fields[rule.id];
    const pending = pendingSideOf(rule, field, base, stale.left || stale.right);
    const changed = {
      left: hasSideChanged(rule, field.left, input.left, base?.left, stale.left),
      right: hasSideChanged(rule, field.right, input.right, base?.right, stale.right),
    };
    if (pending) changed[pending.side] = pending.changed;
    const ctx: FieldContext = {
      input: pending && base ? effectiveInput(field, pending, base) : field,
      rule,
      leftRecord: input.left,
      rightRecord: input.right,
      base,
      stale,
      changed,
      priority: input.priority,
      now: input.now,
      openedAt: Object.hasOwn(openConflicts, rule.id) ? openConflicts[rule.id] : undefined,
    };
    const d = rule.direction === 'both' ? decideTwoWay(ctx) : decideOneWay(ctx);
    return pending ? withPendingWrite(rule, d, pending) : d;
  });

  const waitingOn = decisions.filter((d) => d.outcome.kind === 'waiting').map((d) => d.field);
  const ready = waitingOn.length === 0;
  return {
    ready,
    waitingOn,
    fields: decisions,
    writes: {
      left: ready && decisions.some((d) => d.write.left !== undefined),
      right: ready && decisions.some((d) => d.write.right !== undefined),
    },
    staleSides: (['left', 'right'] as Side[]).filter((s) => stale[s]),
    conflictsOpened: decisions.filter((d) => d.outcome.kind === 'held' && d.outcome.conflict.isNew).map((d) => d.field),
    conflictsClosed: decisions
      .filter((d) => Object.hasOwn(openConflicts, d.field) && closesConflict.has(d.outcome.kind))
      .map((d) => d.field),
    base: draftBase(input, decisions, stale),
  };
}

function assertDistinctFields(input: MergeInput): void {
  const seen = new Set<string>();
  for (const f of input.fields) {
    if (seen.has(f.rule.id)) {
      throw new ConcordError(
        'CONCORD_ERR_ENGINE_MERGE_INPUT_INVALID',
        `merge: field id "${f.rule.id}" appears twice in the input; expected each mapped field once ` +
          `(ids are "<left path>~<right path>"), found ${input.fields.filter((g) => g.rule.id === f.rule.id).length} entries`,
        { field: f.rule.id },
      );
    }
    seen.add(f.rule.id);
  }
}
