/**
 * Planning the create of an unmatched record on the other side: every field mapped towards the target is
 * converted; a field waiting for a lookup reference makes the whole record wait (never created half); the new
 * record carries the match key, so a create cut short by a crash is found by `find` and not repeated.
 */
import { randomUUID } from 'node:crypto';
import type { RemoteRecord } from '../../connectors/contract.js';
import type { Side, TransformContext } from '../../mapping/compiled-types.js';
import { otherSide, type EngineDeps } from '../engine-deps.js';
import type { LinkBase } from '../state/engine-store.js';
import { emptyPlan, type FieldChange, type ItemPlan } from './item-plan.js';
import { buildPatch, readField } from './record-fields.js';
import { seenOf } from './prepare-linked.js';

export async function prepareCreate(
  deps: EngineDeps,
  key: string,
  side: Side,
  record: RemoteRecord,
  matchKey: { field: string; value: string; key: string } | null,
  tctx: TransformContext,
): Promise<ItemPlan> {
  const { mapping, clock } = deps;
  const target = otherSide(side);
  const plan = emptyPlan(mapping.pair, key, 'changes');
  plan.seen = { [side]: seenOf(record) };
  const changes = new Map<string, unknown>();
  const fieldChanges: FieldChange[] = [];
  const now = clock.now().toISOString();
  const base: LinkBase = {
    left: { version: '', modifiedAt: '' }, right: { version: '', modifiedAt: '' }, fields: {},
  };
  base[side] = { version: record.version, modifiedAt: record.modifiedAt };
  const towards = target === 'right' ? 'left-to-right' : 'right-to-left';
  for (const f of mapping.fields) {
    const value = readField(record.fields, f[side]);
    // An empty source value (or a field not mapped towards the target) creates nothing: the new record lacks the
    // field. Its base is what each side held then, so a value the target fills in itself counts as a change on
    // the target and settles by the field's rule (see settle-created.ts).
    if (f.direction !== 'both' && f.direction !== towards || value === undefined || value === null) {
      const own = { value, version: record.version, changedAt: record.fieldTimes?.[f[side]] ?? record.modifiedAt };
      const made = { value: undefined, version: null, changedAt: now };
      base.fields[f.id] = side === 'left' ? { left: own, right: made } : { left: made, right: own };
      continue;
    }
    const withRecord = { ...tctx, record: record.fields };
    const converted = await (target === 'right' ? f.transform.toRight(value, withRecord) : f.transform.toLeft(value, withRecord));
    if (!converted.ok) {
      if (converted.kind === 'waiting') {
        plan.status = 'waiting';
        plan.notes.push(`waiting: ${f.id}: ${converted.message}`);
        continue;
      }
      plan.notes.push(`${f.id}: not created on ${target} (${converted.kind}): ${converted.message}`);
      continue;
    }
    changes.set(f[target], converted.value);
    fieldChanges.push({ fieldId: f.id, path: f[target], side: target, old: null, new: converted.value ?? null, reason: 'created', strategy: null });
    const own = { value, version: record.version, changedAt: record.fieldTimes?.[f[side]] ?? record.modifiedAt };
    const made = { value: converted.value, version: null, changedAt: now };
    base.fields[f.id] = side === 'left' ? { left: own, right: made } : { left: made, right: own };
  }
  if (plan.status === 'waiting') return plan;
  if (matchKey && !changes.has(matchKey.field)) {
    // The match key must travel with the record even when it is not a mapped field: recovery finds the create by it.
    changes.set(matchKey.field, matchKey.value);
    fieldChanges.push({ fieldId: `match:${matchKey.field}`, path: matchKey.field, side: target, old: null, new: matchKey.value, reason: 'created', strategy: null });
  }
  plan.newLink = {
    leftId: side === 'left' ? record.id : null,
    rightId: side === 'right' ? record.id : null,
    matchKey: matchKey ? matchKey.key : null,
  };
  plan.base = base;
  plan.writes.push({
    ref: randomUUID(), side: target, op: 'create', remoteId: null, patch: buildPatch({}, changes), before: {},
    versionSeen: null, changes: fieldChanges, matchKey, idempotencyKey: randomUUID(),
  });
  return plan;
}
