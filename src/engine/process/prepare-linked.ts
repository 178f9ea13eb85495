/**
 * Planning one linked pair of records (or a pair just matched): field decisions become at most one update per
 * side, with before values, the audit rows they will produce and the base to store afterwards. Manual conflicts
 * are opened for held fields; other fields go on. Deletes follow the mapping's delete policy.
 */
import { randomUUID } from 'node:crypto';
import type { RemoteRecord } from '../../connectors/contract.js';
import type { Side, TransformContext } from '../../mapping/compiled-types.js';
import type { LinkId } from '../../shared/ids.js';
import { otherSide, type EngineDeps } from '../engine-deps.js';
import type { BaseDraft } from '../merge/merge-types.js';
import type { ConflictRecord, LinkBase } from '../state/engine-store.js';
import { decideFields, type FieldsDecision } from './decide-fields.js';
import { emptyPlan, type FieldChange, type ItemPlan, type PlannedWrite } from './item-plan.js';
import { beforeValues, buildPatch, readField } from './record-fields.js';
import { keepRefusal, stillRefused, type RefusedWrites } from './refused-writes.js';

export interface LinkedInput {
  key: string;
  linkId: LinkId | null;
  left: RemoteRecord;
  right: RemoteRecord;
  base: LinkBase | null;
  tctx: TransformContext;
  /** For a pair matched in this pass: the link to insert. */
  matchKey?: string | null;
  forced?: ReadonlyMap<string, unknown>;
  /** The link's open manual conflicts, read with the rest of the batch. */
  openConflicts: ConflictRecord[];
}

export function seenOf(r: RemoteRecord): { id: RemoteRecord['id']; version: string; deleted: boolean } {
  return { id: r.id, version: r.version, deleted: r.deleted === true };
}

export async function prepareLinked(deps: EngineDeps, input: LinkedInput): Promise<ItemPlan> {
  const { mapping, clock } = deps;
  const plan = emptyPlan(mapping.pair, input.key, 'noop');
  plan.linkId = input.linkId;
  plan.seen = { left: seenOf(input.left), right: seenOf(input.right) };
  if (input.linkId === null) plan.newLink = { leftId: input.left.id, rightId: input.right.id, matchKey: input.matchKey ?? null };
  if (input.left.deleted || input.right.deleted) return prepareDelete(deps, input, plan);

  const open = input.openConflicts;
  const openConflicts = Object.fromEntries(open.map((c) => [c.field, c.openedAt]));
  const decided = await decideFields(deps, {
    left: input.left, right: input.right, base: input.base, openConflicts, tctx: input.tctx, ...(input.forced ? { forced: input.forced } : {}),
  });
  plan.notes.push(...decided.notes);
  if (decided.waiting.length > 0) {
    plan.status = 'waiting';
    plan.notes.push(...decided.waiting.map((w) => `waiting: ${w}`));
    return plan;
  }
  const refusedFields = leaveOutRefused(deps, input, decided, plan);
  const { result } = decided;
  for (const fieldId of result.conflictsOpened) {
    const held = result.fields.find((d) => d.field === fieldId)?.outcome;
    if (held?.kind !== 'held') continue;
    plan.conflictsToOpen.push({
      fieldId, left: held.conflict.left, right: held.conflict.right,
      base: input.base?.fields[fieldId]?.left.value ?? null,
      fallbackDueAt: held.conflict.fallbackAt ?? null,
    });
  }
  for (const c of open) {
    if (result.conflictsClosed.includes(c.field) || input.forced?.has(c.field)) {
      const o = result.fields.find((d) => d.field === c.field)?.outcome;
      const resolution = input.forced?.has(c.field) ? 'manual'
        : o?.kind === 'settled' && o.viaFallback ? `fallback ${o.strategy} (due ${c.fallbackDueAt})` : 'values agree';
      plan.conflictsToSettle.push({ id: c.id, fieldId: c.field, resolution });
    }
  }
  for (const side of ['left', 'right'] as const) {
    const w = decided.writes.filter((x) => x.side === side);
    if (w.length === 0) continue;
    const record = input[side];
    const changes = new Map<string, unknown>(w.map((x) => [x.field[side], x.value]));
    const patch = buildPatch(record.fields, changes);
    const fieldChanges: FieldChange[] = w.map((x) => ({
      fieldId: x.field.id, path: x.field[side], side, old: readField(record.fields, x.field[side]) ?? null, new: x.value ?? null,
      reason: x.reason, strategy: x.strategy,
    }));
    plan.writes.push(updateWrite(side, record, patch, fieldChanges));
  }
  const unsettled = [...decided.failedFields, ...refusedFields.fields];
  plan.base = baseWithRightValues(input.base, result.base, decided.rightRaw, unsettled);
  if (refusedFields.kept) plan.base.refused = refusedFields.kept;
  const at = clock.now().toISOString();
  for (const [id, v] of Object.entries(decided.forcedBase)) {
    plan.base.fields[id] = { left: { value: v.left, version: null, changedAt: at }, right: { value: v.right, version: null, changedAt: at } };
  }
  plan.unsettledFields = unsettled;
  const held = Object.entries(result.base.held).filter(([id]) => !unsettled.includes(id) && !(id in decided.forcedBase));
  if (held.length > 0) plan.held = Object.fromEntries(held);
  const baseMoved = JSON.stringify(plan.base.fields) !== JSON.stringify(input.base?.fields ?? null)
    || JSON.stringify(plan.base.refused ?? null) !== JSON.stringify(input.base?.refused ?? null);
  if (plan.writes.length > 0 || plan.conflictsToOpen.length > 0 || plan.conflictsToSettle.length > 0 || plan.newLink || baseMoved) {
    plan.status = 'changes';
  }
  return plan;
}

export function updateWrite(side: Side, record: RemoteRecord, patch: Record<string, unknown>, changes: FieldChange[]): PlannedWrite {
  return {
    ref: randomUUID(), side, op: 'update', remoteId: record.id, patch, before: beforeValues(record.fields, patch),
    versionSeen: record.version, changes, matchKey: null, idempotencyKey: randomUUID(),
  };
}

/**
 * Leaves out the writes a side already refused for good (same value, the side unchanged since): they would be
 * refused again. Their fields keep the old base; the refusals that still hold stay on it, the others are dropped
 * (either side changed the field, so it is decided afresh and may be written).
 */
function leaveOutRefused(deps: EngineDeps, input: LinkedInput, decided: FieldsDecision, plan: ItemPlan): { fields: string[]; kept: RefusedWrites | undefined } {
  const kept: RefusedWrites = {};
  const fields: string[] = [];
  decided.writes = decided.writes.filter((x) => {
    const refusal = input.base?.refused?.[x.field.id]?.[x.side];
    if (!stillRefused(refusal, x.field[x.side], x.value, input[x.side])) return true;
    keepRefusal(kept, x.field.id, x.side, refusal);
    fields.push(x.field.id);
    plan.notes.push(`${x.field.id}: ${deps.mapping[x.side].system} ${input[x.side].id} refused ${JSON.stringify(x.value)} at ${refusal.at} ` +
      `(${refusal.reason}); not sent again until either side changes this field`);
    return false;
  });
  return { fields, kept: fields.length > 0 ? kept : undefined };
}

/** The base draft from merge with right raw values filled in; fields whose write could not be converted keep their old base. */
function baseWithRightValues(old: LinkBase | null, draft: BaseDraft, rightRaw: Record<string, unknown>, failed: string[]): LinkBase {
  const fields = structuredClone(draft.fields);
  for (const id of draft.pendingRight) {
    const f = fields[id];
    if (f && id in rightRaw) f.right.value = rightRaw[id];
  }
  for (const id of failed) {
    const prev = old?.fields[id];
    if (prev) fields[id] = structuredClone(prev);
    else delete fields[id];
  }
  return { left: { ...draft.left }, right: { ...draft.right }, fields };
}

/** A deleted record on one side (or both): what the mapping's delete policy says to do with the other. */
function prepareDelete(deps: EngineDeps, input: LinkedInput, plan: ItemPlan): ItemPlan {
  const { mapping, connectors } = deps;
  if (input.linkId === null) {
    plan.status = 'skipped';
    plan.newLink = null;
    plan.notes.push('a deleted record is not linked');
    return plan;
  }
  if (input.left.deleted && input.right.deleted) {
    plan.status = 'changes';
    plan.unlink = true;
    plan.notes.push('deleted on both sides: the link is removed');
    return plan;
  }
  const gone: Side = input.left.deleted ? 'left' : 'right';
  const target = otherSide(gone);
  const capability = connectors[target].capabilities.delete;
  const policy = mapping.delete;
  if (policy === 'ignore') {
    plan.notes.push(`deleted on ${gone}; delete policy "ignore" leaves ${target} as it is`);
    return plan;
  }
  plan.status = 'changes';
  plan.unlink = true;
  if (policy === 'unlink') {
    plan.notes.push(`deleted on ${gone}; delete policy "unlink" removes the link and leaves ${target} as it is`);
    return plan;
  }
  if (capability === 'none' || (policy === 'archive' && capability === 'delete')) {
    plan.notes.push(`deleted on ${gone}; ${mapping[target].system} ${capability === 'none' ? 'cannot delete records' : 'can only delete for good, and the policy is "archive"'}: the link is removed and ${target} is left as it is`);
    return plan;
  }
  const record = input[target];
  const fieldChanges: FieldChange[] = [{
    fieldId: '*', path: '*', side: target, old: record.fields, new: null, reason: 'deleted', strategy: `delete policy ${policy}`,
  }];
  plan.writes.push({
    ref: randomUUID(), side: target, op: 'delete', remoteId: record.id, patch: {}, before: structuredClone(record.fields),
    versionSeen: record.version, changes: fieldChanges, matchKey: null, idempotencyKey: randomUUID(),
  });
  return plan;
}
