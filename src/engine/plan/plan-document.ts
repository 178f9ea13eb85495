/**
 * `concord plan` / `concord apply`: a plan is what a sync pass would do now, item by item, with the record
 * versions it saw; written to JSON it can be read, reviewed and carried out later exactly as it stands. Apply
 * refuses every item whose records changed since (another version, or linked meanwhile): that part must be
 * planned again, the rest goes on.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConcordError } from '../../shared/errors/index.js';
import { asBatchId, type BatchId } from '../../shared/ids.js';
import type { EngineDeps } from '../engine-deps.js';
import { executePlans, type ItemResult } from '../process/execute-plans.js';
import type { ItemPlan } from '../process/item-plan.js';
import { readRecords } from '../process/process-items.js';
import { syncPair } from '../sync/sync-pair.js';

export interface PlanSummary {
  links: number;
  creates: number;
  updates: number;
  deletes: number;
  fieldChanges: number;
  conflictsOpened: number;
  conflictsSettled: number;
  waiting: number;
  duplicates: number;
  skipped: number;
}

export interface PlanDocument {
  kind: 'concord-plan';
  version: 1;
  pair: string;
  createdAt: string;
  summary: PlanSummary;
  items: ItemPlan[];
}

export function summarisePlans(items: readonly ItemPlan[]): PlanSummary {
  const writes = items.filter((i) => i.status === 'changes').flatMap((i) => i.writes);
  return {
    links: items.filter((i) => i.status === 'changes' && i.newLink && i.newLink.leftId && i.newLink.rightId).length,
    creates: writes.filter((w) => w.op === 'create').length,
    updates: writes.filter((w) => w.op === 'update').length,
    deletes: writes.filter((w) => w.op === 'delete').length,
    fieldChanges: writes.reduce((n, w) => n + w.changes.length, 0),
    conflictsOpened: items.reduce((n, i) => n + i.conflictsToOpen.length, 0),
    conflictsSettled: items.reduce((n, i) => n + i.conflictsToSettle.length, 0),
    waiting: items.filter((i) => i.status === 'waiting').length,
    duplicates: items.filter((i) => i.status === 'duplicate').length,
    skipped: items.filter((i) => i.status === 'skipped').length,
  };
}

/** What one sync pass of the pair would do now, from the pair's stored cursors. Writes nothing. */
export async function makePlan(deps: EngineDeps): Promise<PlanDocument> {
  const report = await syncPair(deps, { dryRun: true });
  return {
    kind: 'concord-plan', version: 1, pair: deps.mapping.pair, createdAt: deps.clock.now().toISOString(),
    summary: summarisePlans(report.plans), items: report.plans,
  };
}

const seenSchema = z.object({ id: z.string(), version: z.string(), deleted: z.boolean() });
const writeSchema = z.object({
  ref: z.string(), side: z.enum(['left', 'right']), op: z.enum(['create', 'update', 'delete']), remoteId: z.string().nullable(),
  patch: z.record(z.string(), z.unknown()), before: z.record(z.string(), z.unknown()), versionSeen: z.string().nullable(),
  changes: z.array(z.object({
    fieldId: z.string(), path: z.string(), side: z.enum(['left', 'right']), old: z.unknown(), new: z.unknown(),
    reason: z.enum(['propagated', 'created', 'deleted', 'conflict', 'manual-resolution', 'rollback']), strategy: z.string().nullable(),
  })),
  matchKey: z.object({ field: z.string(), value: z.string(), key: z.string() }).nullable(),
  idempotencyKey: z.string(),
});
const itemSchema = z.object({
  key: z.string(), pair: z.string(), status: z.enum(['changes', 'noop', 'waiting', 'duplicate', 'skipped', 'failed']),
  linkId: z.string().nullable(),
  newLink: z.object({ leftId: z.string().nullable(), rightId: z.string().nullable(), matchKey: z.string().nullable() }).nullable(),
  unlink: z.boolean(), seen: z.object({ left: seenSchema.optional(), right: seenSchema.optional() }),
  writes: z.array(writeSchema), notes: z.array(z.string()),
  conflictsToOpen: z.array(z.object({ fieldId: z.string(), left: z.unknown(), right: z.unknown(), base: z.unknown(), fallbackDueAt: z.string().nullable() })),
  conflictsToSettle: z.array(z.object({ id: z.string(), fieldId: z.string(), resolution: z.string() })),
  base: z.unknown(), unsettledFields: z.array(z.string()), held: z.record(z.string(), z.unknown()).optional(),
});
const planSchema = z.object({
  kind: z.literal('concord-plan'), version: z.literal(1), pair: z.string(), createdAt: z.string(), summary: z.unknown(), items: z.array(itemSchema),
});

/** Reads a plan document (JSON text) from `source`; a document that is not a plan is a coded error naming what is wrong. */
export function parsePlanDocument(text: string, source: string): PlanDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConcordError('CONCORD_ERR_ENGINE_PLAN_INVALID', `${source}: expected a plan written by \`concord plan --out\`, found text that is not JSON (${(err as Error).message})`);
  }
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConcordError('CONCORD_ERR_ENGINE_PLAN_INVALID',
      `${source}: expected a plan written by \`concord plan --out\`; at ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return parsed.data as unknown as PlanDocument;
}

export interface ApplyReport {
  batchId: BatchId | null;
  applied: ItemResult[];
  refused: Array<{ key: string; why: string }>;
}

/** Carries out exactly the plan's items that still hold: each record must be at the version the plan saw. */
export async function applyPlan(deps: EngineDeps, doc: PlanDocument): Promise<ApplyReport> {
  const { mapping, store, clock } = deps;
  if (doc.pair !== mapping.pair) {
    throw new ConcordError('CONCORD_ERR_ENGINE_PLAN_INVALID', `the plan is for pair ${doc.pair}, not ${mapping.pair}; apply it with --pair ${doc.pair}`);
  }
  const report: ApplyReport = { batchId: null, applied: [], refused: [] };
  const items = doc.items.filter((i) => i.status === 'changes');
  const [left, right] = await Promise.all((['left', 'right'] as const).map((side) =>
    readRecords(deps, side, items.flatMap((i) => (i.seen[side] ? [i.seen[side]!.id] : []))),
  ));
  const current = { left: left!, right: right! };
  const go: ItemPlan[] = [];
  for (const item of items) {
    const why = await changedSince(deps, item, current);
    if (why) report.refused.push({ key: item.key, why });
    else go.push(item);
  }
  if (go.length === 0) return report;
  const batchId = asBatchId(randomUUID());
  report.batchId = batchId;
  await store.startBatch({ id: batchId, pair: mapping.pair, kind: 'apply', startedAt: clock.now().toISOString() });
  // Exactly the plan: values a created record came back with wait for the next sync.
  const results = await executePlans(deps, go, batchId, { settleCreated: false });
  for (const r of results) {
    if (r.outcome === 'committed') report.applied.push(r);
    else report.refused.push({ key: r.key, why: r.outcome === 'failed' ? r.errors.join('; ') : r.outcome === 'stale' ? 'the record changed while the plan was applied' : r.outcome });
  }
  await store.finishBatch(batchId, clock.now().toISOString(), { applied: report.applied.length, refused: report.refused.length });
  return report;
}

async function changedSince(deps: EngineDeps, item: ItemPlan, current: Record<'left' | 'right', Map<string, { version: string; deleted?: boolean }>>): Promise<string | undefined> {
  for (const side of ['left', 'right'] as const) {
    const seen = item.seen[side];
    if (!seen) continue;
    const now = current[side].get(seen.id);
    if (!now || now.version !== seen.version || (now.deleted === true) !== seen.deleted) {
      return `${side} ${seen.id} changed since the plan (version ${seen.version} then, ${now?.version ?? 'unreadable'} now): plan again`;
    }
    if (item.linkId === null && await deps.store.findLinkBySide(deps.mapping.pair, side, seen.id as never)) {
      return `${side} ${seen.id} was linked since the plan: plan again`;
    }
  }
  for (const w of item.writes) {
    if (w.op !== 'create' || !w.matchKey) continue;
    const target = deps.mapping[w.side];
    const normalized = w.matchKey.key.slice(w.matchKey.key.indexOf(':') + 1);
    const found = await deps.connectors[w.side].find(target.object, w.matchKey.field, [...new Set([w.matchKey.value, normalized])], deps.contextFor(w.side));
    if (found.some((r) => !r.deleted)) {
      return `a ${target.system} ${target.object} record with ${w.matchKey.field} = "${w.matchKey.value}" appeared since the plan (${found.map((r) => r.id).join(', ')}): plan again to link it instead of creating another`;
    }
  }
  return undefined;
}
