/**
 * The decision for a field synced in both directions.
 *
 * - Neither side changed: nothing. (After a mapping change, sides that no longer agree under the new
 *   transform are brought in line at their next change.)
 * - One side changed: that change is propagated, whatever the strategy (`fill-empty`: only into an
 *   empty side).
 * - Both changed: equal values converge (except `sum-deltas`: two equal counts are two deltas, and
 *   both count); different ones are settled by the strategy.
 * - No base (a new link): as if both changed, except that an empty side simply receives the other's value.
 * - A stale side counts as unchanged: a change on the other side is still propagated to it, but its
 *   own differing value is only reported (`stale`), never written anywhere.
 */
import type { FieldDecision, PropagateReason, Side } from './merge-types.js';
import { conversionFailure, convertedValue, decision, writeTo, type FieldContext } from './field-context.js';
import { settleConflict } from './settle-conflict.js';
import { fieldValuesEqual, isEmptyValue } from './value-equality.js';

export function decideTwoWay(ctx: FieldContext): FieldDecision {
  const { stale, changed, base, input } = ctx;
  if (stale.left || stale.right) return decideWithStaleSide(ctx);

  const rightFailure = conversionFailure('right', input.rightAsLeft);
  const right = convertedValue(input.rightAsLeft);
  const agree = rightFailure === undefined && fieldValuesEqual(ctx.rule, input.left, right);

  if (base === undefined) {
    if (rightFailure) return decision(ctx, rightFailure);
    if (agree) return decision(ctx, { kind: 'converge', value: input.left });
    if (ctx.rule.strategy === 'fill-empty') return fillEmpty(ctx, right, true);
    if (isEmptyValue(input.left)) return propagate(ctx, 'left', 'new-link');
    if (isEmptyValue(right)) return propagate(ctx, 'right', 'new-link');
    return settleConflict(ctx, right);
  }

  // Nothing changed since the last decision: nothing to do. The sides may disagree only as that decision
  // left them (fill-empty keeps two values; a manual conflict's fallback may have done so), and deciding
  // again would reopen a settled conflict.
  if (!changed.left && !changed.right) return decision(ctx, { kind: 'none' });

  if (changed.left !== changed.right) {
    const from: Side = changed.left ? 'left' : 'right';
    if (from === 'right' && rightFailure) return decision(ctx, rightFailure);
    if (agree) return decision(ctx, { kind: 'none' });
    if (ctx.rule.strategy === 'fill-empty') {
      if (rightFailure) return decision(ctx, rightFailure);
      return fillEmpty(ctx, right, false);
    }
    return propagate(ctx, from === 'left' ? 'right' : 'left', 'changed');
  }

  if (rightFailure) return decision(ctx, rightFailure);
  // Two counters that moved to the same number are two deltas (a sale on each shop), not agreement.
  if (agree && ctx.rule.strategy !== 'sum-deltas') return decision(ctx, { kind: 'converge', value: input.left });
  if (ctx.rule.strategy === 'fill-empty') return fillEmpty(ctx, right, true);
  return settleConflict(ctx, right);
}

/** Write the other side's value to `to`: the right value in left space, or the left value (converted by the caller). */
function propagate(ctx: FieldContext, to: Side, reason: PropagateReason): FieldDecision {
  if (to === 'left') {
    const failure = conversionFailure('right', ctx.input.rightAsLeft);
    if (failure) return decision(ctx, failure);
    const value = convertedValue(ctx.input.rightAsLeft);
    return writeTo(ctx, 'left', { kind: 'propagate', to, value, reason }, value);
  }
  const failure = conversionFailure('left', ctx.input.leftAsRight);
  if (failure) return decision(ctx, failure);
  return writeTo(ctx, 'right', { kind: 'propagate', to, value: ctx.input.left, reason }, ctx.input.left);
}

/**
 * `fill-empty` decides on the values as they are now: an empty side receives the other's value, two
 * non-empty values are both kept. When both sides changed it is a settled conflict, else a propagation.
 */
function fillEmpty(ctx: FieldContext, right: unknown, bothChanged: boolean): FieldDecision {
  const left = ctx.input.left;
  if (!isEmptyValue(left) && !isEmptyValue(right)) return decision(ctx, { kind: 'kept', left, right: ctx.input.right });
  if (bothChanged) return settleConflict(ctx, right);
  return propagate(ctx, isEmptyValue(left) ? 'left' : 'right', 'filled');
}

function decideWithStaleSide(ctx: FieldContext): FieldDecision {
  const { stale, changed, base, input } = ctx;
  const staleSide: Side = stale.left ? 'left' : 'right';
  const other: Side = staleSide === 'left' ? 'right' : 'left';
  if ((stale.left && stale.right) || base === undefined) return decision(ctx, { kind: 'stale', side: staleSide });
  if (!changed[other]) {
    const staleValue = staleSide === 'left' ? input.left : input.right;
    const differs = !fieldValuesEqual(ctx.rule, staleValue, base[staleSide].value);
    return decision(ctx, differs ? { kind: 'stale', side: staleSide } : { kind: 'none' });
  }
  // Whether the stale side is empty now cannot be told from an old copy.
  if (ctx.rule.strategy === 'fill-empty') return decision(ctx, { kind: 'stale', side: staleSide });
  return propagate(ctx, staleSide, 'changed');
}
