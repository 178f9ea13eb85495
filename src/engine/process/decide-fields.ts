/**
 * Field decisions for one linked pair of records: converts every mapped field both ways with the mapping's
 * transforms (async where a transform is), hands the conversions to the pure `merge`, and turns its left-space
 * decisions into raw values per side (converting with `toRight` for right-side writes).
 */
import type { RemoteRecord } from '../../connectors/contract.js';
import type { CompiledField, Converted, Side, TransformContext } from '../../mapping/compiled-types.js';
import { merge } from '../merge/index.js';
import type { FieldInput, MergeBase, MergeResult } from '../merge/merge-types.js';
import type { EngineDeps } from '../engine-deps.js';
import type { AuditReason } from '../state/engine-store.js';
import { readField } from './record-fields.js';
import { sameValue } from './same-value.js';

export interface FieldWritePlan {
  field: CompiledField;
  side: Side;
  /** Raw value in the target side's representation. */
  value: unknown;
  reason: AuditReason;
  strategy: string | null;
}

export interface FieldsDecision {
  result: MergeResult;
  writes: FieldWritePlan[];
  /** Raw right values of fields written on the right, for the base. */
  rightRaw: Record<string, unknown>;
  /** Fields left alone, and why (unmappable values, stale reads, held conflicts, kept values). */
  notes: string[];
  /** Fields whose write value could not be converted: their base must not move. */
  failedFields: string[];
  /** Messages of fields waiting for a reference; non-empty means the record waits. */
  waiting: string[];
  /** Operator-decided fields: the raw values both sides hold once written, for the base. */
  forcedBase: Record<string, { left: unknown; right: unknown }>;
}

async function convert(fn: (v: unknown, c: TransformContext) => Converted | Promise<Converted>, value: unknown, ctx: TransformContext): Promise<Converted> {
  if (value === undefined || value === null) return { ok: true, value };
  try {
    return await fn(value, ctx);
  } catch (err) {
    return { ok: false, kind: 'invalid', message: err instanceof Error ? err.message : String(err) };
  }
}

async function fieldInputs(fields: readonly CompiledField[], left: RemoteRecord, right: RemoteRecord, tctx: TransformContext): Promise<FieldInput[]> {
  return Promise.all(fields.map(async (f) => {
    const l = readField(left.fields, f.left);
    const r = readField(right.fields, f.right);
    const input: FieldInput = {
      rule: f,
      left: l,
      right: r,
      leftAsRight: await convert((v, c) => f.transform.toRight(v, c), l, { ...tctx, record: left.fields }),
      rightAsLeft: await convert((v, c) => f.transform.toLeft(v, c), r, { ...tctx, record: right.fields }),
    };
    const lt = left.fieldTimes?.[f.left];
    const rt = right.fieldTimes?.[f.right];
    if (lt) input.leftChangedAt = lt;
    if (rt) input.rightChangedAt = rt;
    return input;
  }));
}

export interface DecideArgs {
  left: RemoteRecord;
  right: RemoteRecord;
  base: MergeBase | null;
  openConflicts: Record<string, string>;
  tctx: TransformContext;
  /** Operator decisions (field id -> value in LEFT space) that override the merge for those fields. */
  forced?: ReadonlyMap<string, unknown>;
}

export async function decideFields(deps: EngineDeps, args: DecideArgs): Promise<FieldsDecision> {
  const { mapping, clock } = deps;
  const inputs = await fieldInputs(mapping.fields, args.left, args.right, args.tctx);
  const result = merge({
    fields: inputs,
    left: { version: args.left.version, modifiedAt: args.left.modifiedAt },
    right: { version: args.right.version, modifiedAt: args.right.modifiedAt },
    base: args.base,
    priority: mapping.priority,
    now: clock.now(),
    openConflicts: args.openConflicts,
  });
  const out: FieldsDecision = { result, writes: [], rightRaw: {}, notes: [], failedFields: [], waiting: [], forcedBase: {} };
  const byId = new Map(mapping.fields.map((f) => [f.id, f]));
  const inputById = new Map(inputs.map((i) => [i.rule.id, i]));

  for (const d of result.fields) {
    const field = byId.get(d.field)!;
    const o = d.outcome;
    const forced = args.forced?.has(field.id);
    if (forced) {
      await planForced(field, args.forced!.get(field.id), inputById.get(field.id)!, { ...args.tctx, record: args.left.fields }, out);
      continue;
    }
    if (o.kind === 'waiting') out.waiting.push(`${field.id}: ${o.message}`);
    else if (o.kind === 'unmappable') out.notes.push(`${field.id}: ${o.side} value left alone (${o.reason}): ${o.message}`);
    else if (o.kind === 'stale') out.notes.push(`${field.id}: the ${o.side} read is older than the base; not trusted`);
    else if (o.kind === 'held') out.notes.push(`${field.id}: held for an operator (manual conflict opened ${o.conflict.openedAt})`);
    else if (o.kind === 'kept') out.notes.push(`${field.id}: fill-empty keeps two different values`);
    const reason: AuditReason = o.kind === 'settled' ? 'conflict' : 'propagated';
    const strategy = o.kind === 'settled' ? (o.viaFallback ? `manual -> ${o.strategy}` : o.strategy) : null;
    if (d.write.left) out.writes.push({ field, side: 'left', value: d.write.left.value, reason, strategy });
    if (d.write.right) {
      const c = await convert((v, cx) => field.transform.toRight(v, cx), d.write.right.value, { ...args.tctx, record: args.left.fields });
      if (!c.ok) {
        if (c.kind === 'waiting') out.waiting.push(`${field.id}: ${c.message}`);
        else {
          out.notes.push(`${field.id}: the value for ${mapping.right.system} could not be converted (${c.kind}): ${c.message}`);
          out.failedFields.push(field.id);
        }
        continue;
      }
      out.rightRaw[field.id] = c.value;
      out.writes.push({ field, side: 'right', value: c.value, reason, strategy });
    }
  }
  return out;
}

/** An operator's value for a field: written to each side that does not already hold it. */
async function planForced(field: CompiledField, leftValue: unknown, input: FieldInput, tctx: TransformContext, out: FieldsDecision): Promise<void> {
  const c = await convert((v, cx) => field.transform.toRight(v, cx), leftValue, tctx);
  if (!c.ok) {
    out.notes.push(`${field.id}: the chosen value cannot be converted for the right side (${c.kind}): ${c.message}`);
    out.failedFields.push(field.id);
    return;
  }
  out.forcedBase[field.id] = { left: leftValue, right: c.value };
  const writesLeft = field.direction !== 'left-to-right';
  const writesRight = field.direction !== 'right-to-left';
  if (writesLeft && !sameValue(input.left, leftValue)) out.writes.push({ field, side: 'left', value: leftValue, reason: 'manual-resolution', strategy: 'manual' });
  if (writesRight && !sameValue(input.right, c.value)) out.writes.push({ field, side: 'right', value: c.value, reason: 'manual-resolution', strategy: 'manual' });
}
