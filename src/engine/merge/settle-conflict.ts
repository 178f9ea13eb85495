/**
 * Both sides changed a field to different values (or a new link holds two different values): settle
 * it by the field's strategy, or hold it as a manual conflict until it is resolved or its fallback
 * time passes.
 */
import type { FieldDecision, HeldConflict, SettlingStrategy } from './merge-types.js';
import { changeTime, conversionFailure, decision, type FieldContext } from './field-context.js';
import { parseInstant } from './instants.js';
import { resolveConflict } from './strategies/resolve-conflict.js';
import { fieldValuesEqual } from './value-equality.js';

/**
 * `right` is the right value already converted to left space. Writes go wherever the settled value
 * differs from what a side holds.
 */
export function settleConflict(ctx: FieldContext, right: unknown): FieldDecision {
  const { rule } = ctx;
  if (rule.strategy !== 'manual') return applyStrategy(ctx, rule.strategy, right, false);
  const nowIso = ctx.now.toISOString();
  const openedAt = ctx.openedAt ?? nowIso;
  const conflict: HeldConflict = { field: rule.id, openedAt, isNew: ctx.openedAt === undefined, left: ctx.input.left, right };
  // A fallback applies only with a time: without `fallbackAfterMs` the field is held until an operator resolves it.
  if (rule.fallback !== undefined && rule.fallbackAfterMs !== undefined) {
    // An opening time that cannot be read never starts the fallback clock: holding is the safe side.
    const opened = parseInstant(openedAt) ?? ctx.now.getTime();
    const fallbackAt = opened + rule.fallbackAfterMs;
    if (ctx.now.getTime() >= fallbackAt) return applyStrategy(ctx, rule.fallback, right, true);
    conflict.fallback = rule.fallback;
    conflict.fallbackAt = new Date(fallbackAt).toISOString();
  }
  return decision(ctx, { kind: 'held', conflict });
}

function applyStrategy(ctx: FieldContext, strategy: SettlingStrategy, right: unknown, viaFallback: boolean): FieldDecision {
  const left = ctx.input.left;
  const resolution = resolveConflict(strategy, {
    rule: ctx.rule,
    left,
    right,
    hasBase: ctx.base !== undefined,
    base: ctx.base?.left.value,
    leftTime: changeTime(ctx, 'left'),
    rightTime: changeTime(ctx, 'right'),
    priority: ctx.priority,
  });
  if (resolution.kind === 'kept') return decision(ctx, { kind: 'kept', left, right: ctx.input.right });
  if (resolution.kind === 'invalid') {
    return decision(ctx, { kind: 'unmappable', side: resolution.side, reason: 'invalid', message: resolution.message });
  }
  const { value, winner } = resolution;
  const writeLeft = !fieldValuesEqual(ctx.rule, value, left);
  const writeRight = !fieldValuesEqual(ctx.rule, value, right);
  // The left value goes to the right side as toRight(left): if that conversion failed, nothing is written.
  if (writeRight && winner === 'left') {
    const failure = conversionFailure('left', ctx.input.leftAsRight);
    if (failure) return decision(ctx, failure);
  }
  return decision(
    ctx,
    { kind: 'settled', strategy, winner, value, viaFallback },
    { ...(writeLeft ? { left: { value } } : {}), ...(writeRight ? { right: { value } } : {}) },
  );
}
