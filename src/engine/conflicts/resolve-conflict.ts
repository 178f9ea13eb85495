/**
 * Manual conflicts (`concord conflicts list|show|resolve`): an operator takes the left value, the right value or
 * a value of their own (in the left system's representation, as the mapping's left field holds it). The choice is
 * written to each side that does not hold it yet, through the same planner and writer as a sync, journaled and
 * audited as a manual resolution in a batch of its own.
 */
import { randomUUID } from 'node:crypto';
import { asBatchId, type BatchId } from '../../shared/ids.js';
import type { EngineDeps } from '../engine-deps.js';
import { processItems } from '../process/process-items.js';
import { prefetchLookups } from '../process/lookup-context.js';
import { readField } from '../process/record-fields.js';
import { readRecords } from '../process/process-items.js';
import type { ConflictRecord } from '../state/engine-store.js';

export type Take = { take: 'left' } | { take: 'right' } | { take: 'value'; value: unknown };

export type ResolveOutcome =
  | { ok: true; batchId: BatchId; conflict: ConflictRecord; value: unknown; writes: number }
  | { ok: false; code: 'CONCORD_ERR_ENGINE_CONFLICT_NOT_FOUND' | 'CONCORD_ERR_ENGINE_CONFLICT_NOT_OPEN' | 'CONCORD_ERR_ENGINE_RESOLUTION_FAILED'; message: string };

export async function resolveConflict(deps: EngineDeps, id: string, choice: Take): Promise<ResolveOutcome> {
  const { store, mapping, clock } = deps;
  const conflict = await store.getConflict(id);
  if (!conflict || conflict.pair !== mapping.pair) {
    return { ok: false, code: 'CONCORD_ERR_ENGINE_CONFLICT_NOT_FOUND', message: `conflict ${id}: no such conflict in pair ${mapping.pair}; run \`concord conflicts list\` for the open ones` };
  }
  if (conflict.state !== 'open') {
    return { ok: false, code: 'CONCORD_ERR_ENGINE_CONFLICT_NOT_OPEN', message: `conflict ${id} was already resolved at ${conflict.resolvedAt} (${conflict.resolution}); nothing to do` };
  }
  const link = await store.getLink(conflict.linkId);
  const field = mapping.fields.find((f) => f.id === conflict.field);
  if (!link || !field) {
    return { ok: false, code: 'CONCORD_ERR_ENGINE_RESOLUTION_FAILED', message: `conflict ${id}: ${!link ? 'its link no longer exists' : `field ${conflict.field} is no longer in the mapping of ${mapping.pair}`}` };
  }
  let value: unknown;
  if (choice.take === 'value') value = choice.value;
  else {
    const side = choice.take;
    const record = (await readRecords(deps, side, [side === 'left' ? link.leftId : link.rightId])).values().next().value;
    if (!record || record.deleted) {
      return { ok: false, code: 'CONCORD_ERR_ENGINE_RESOLUTION_FAILED', message: `conflict ${id}: the ${side} record is gone; take the other side or a value` };
    }
    const raw = readField(record.fields, field[side]);
    if (side === 'left') value = raw;
    else {
      const tctx = await prefetchLookups(store, mapping, [{ side, record }]);
      const c = raw === undefined || raw === null ? { ok: true as const, value: raw } : await field.transform.toLeft(raw, tctx);
      if (!c.ok) {
        return { ok: false, code: 'CONCORD_ERR_ENGINE_RESOLUTION_FAILED', message: `conflict ${id}: the right value ${JSON.stringify(raw)} cannot be converted for the left side (${c.kind}): ${c.message}; take left or a value` };
      }
      value = c.value;
    }
  }
  const batchId = asBatchId(randomUUID());
  await store.startBatch({ id: batchId, pair: mapping.pair, kind: 'resolve', startedAt: clock.now().toISOString() });
  const forced = new Map([[link.id, new Map([[field.id, value]])]]);
  const { results } = await processItems(deps, [{ side: 'left', id: link.leftId }], batchId, { forced });
  const res = results[0];
  await store.finishBatch(batchId, clock.now().toISOString(), { conflict: id, outcome: res?.outcome ?? 'none' });
  if (!res || res.outcome !== 'committed') {
    const why = res?.outcome === 'failed' ? res.errors.join('; ') : res ? `${res.outcome}: ${res.plan.notes.join('; ')}` : 'no result';
    return { ok: false, code: 'CONCORD_ERR_ENGINE_RESOLUTION_FAILED', message: `conflict ${id}: the resolution could not be written (${why}); it stays open` };
  }
  const label = choice.take === 'value' ? `manual: value ${JSON.stringify(value)}` : `manual: take ${choice.take}`;
  await store.resolveConflict(id, label, clock.now().toISOString());
  return { ok: true, batchId, conflict: (await store.getConflict(id))!, value, writes: res.plan.writes.length };
}
