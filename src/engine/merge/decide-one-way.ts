/**
 * The decision for a field synced one way (`left-to-right` or `right-to-left`): the target is kept
 * equal to the converted source. A change on the source is propagated; an edit on the target is
 * reverted (and reported as such); the source is never written. Strategies do not apply, as there is
 * never a conflict, except `fill-empty`: the source's value is then written only into an empty target,
 * and a target's own non-empty value is kept.
 *
 * The comparison is made in the target's representation: the target must hold exactly toTarget(source).
 */
import type { FieldDecision, PropagateReason, Side } from './merge-types.js';
import { conversionFailure, convertedValue, decision, writeTo, type FieldContext } from './field-context.js';
import { fieldValuesEqual, isEmptyValue } from './value-equality.js';

export function decideOneWay(ctx: FieldContext): FieldDecision {
  const { input, stale, changed, base } = ctx;
  const source: Side = ctx.rule.direction === 'left-to-right' ? 'left' : 'right';
  const target: Side = source === 'left' ? 'right' : 'left';
  // An old copy of the source must not be written anywhere; a fresh read will say what it holds.
  if (stale[source]) return decision(ctx, { kind: 'stale', side: source });

  const converted = source === 'left' ? input.leftAsRight : input.rightAsLeft;
  const failure = conversionFailure(source, converted);
  if (failure) return decision(ctx, failure);
  const sourceAsTarget = convertedValue(converted);
  const targetValue = target === 'left' ? input.left : input.right;
  const fill = ctx.rule.strategy === 'fill-empty';
  if (stale[target]) {
    // An old copy of the target says nothing of what it holds now: compare nothing with it. A source
    // change still goes to it (fill-empty: only if it is empty, which cannot be told).
    if (changed[source]) return fill ? decision(ctx, { kind: 'stale', side: target }) : propagate(ctx, target, 'changed', sourceAsTarget);
    const unchangedSinceBase = base !== undefined && fieldValuesEqual(ctx.rule, targetValue, base[target].value);
    return decision(ctx, unchangedSinceBase ? { kind: 'none' } : { kind: 'stale', side: target });
  }
  if (fieldValuesEqual(ctx.rule, targetValue, sourceAsTarget)) return decision(ctx, { kind: 'none' });
  if (fill && !isEmptyValue(targetValue)) return decision(ctx, { kind: 'kept', left: input.left, right: input.right });

  const reason: PropagateReason = fill ? 'filled'
    : base === undefined ? 'new-link'
      : changed[source] ? 'changed'
        : changed[target] ? 'target-edit-reverted'
          : 'repaired';
  return propagate(ctx, target, reason, sourceAsTarget);
}

function propagate(ctx: FieldContext, target: Side, reason: PropagateReason, sourceAsTarget: unknown): FieldDecision {
  // Values are in left space: the left source itself, or the right source converted to left.
  const value = target === 'right' ? ctx.input.left : sourceAsTarget;
  return writeTo(ctx, target, { kind: 'propagate', to: target, value, reason }, value);
}
