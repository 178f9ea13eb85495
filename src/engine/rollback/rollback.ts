/**
 * Rollback through the journal (DESIGN §7): the writes selected (a batch, a time range, one link) are undone in
 * reverse order through the same writer, only where the target still holds what Concord wrote; a record changed
 * since is reported and left alone, and so are the older writes under it. A create is undone by deleting (or
 * archiving) the record as the connector allows; a delete cannot be undone through the connector contract and is
 * reported. A rollback is a batch of its own, journaled and audited like any other, so it can be rolled back too.
 *
 * A write whose outcome is not known — journaled `unknown` by recovery (the target held neither the values before
 * nor the values written, or a create's match key found several records), or an intent still open (in flight, or
 * cut short and not yet recovered) — is never undone and never skipped quietly: it is listed as `undecided` with
 * the reason, and the CLI exits non-zero, because only an operator looking at the record can tell whether
 * Concord's value is in it. Older writes to the same record are still judged by the usual "still as written" test,
 * which leaves alone whatever such a write may have changed.
 *
 * After a rollback the restored side holds its old value while the other side keeps its own: the base records
 * exactly that, so the next sync sees the two disagree without either having changed and settles the field by its
 * strategy (`manual` opens a conflict). Pause the pair or fix the source first when the change must not return.
 */
import { randomUUID } from 'node:crypto';
import type { RemoteRecord } from '../../connectors/contract.js';
import type { Side } from '../../mapping/compiled-types.js';
import { asBatchId, type BatchId, type LinkId, type RemoteId } from '../../shared/ids.js';
import type { EngineDeps } from '../engine-deps.js';
import { executePlans } from '../process/execute-plans.js';
import { emptyPlan, type ItemPlan, type PlannedWrite } from '../process/item-plan.js';
import { readRecords } from '../process/process-items.js';
import { readField, topKey } from '../process/record-fields.js';
import { sameValue } from '../process/same-value.js';
import { keptAsWritten } from '../process/kept-as-written.js';
import type { JournalEntry, JournalFilter, JournalOp, JournalState, LinkBase } from '../state/engine-store.js';

export type RollbackSelector = { batchId: BatchId } | { since: string; until?: string } | { linkId: LinkId };

export interface RollbackItem {
  journalIds: string[];
  side: Side;
  system: string;
  record: RemoteId;
  op: 'update' | 'delete';
  /** Top-level keys restored, with the value now and the value restored. */
  fields: Array<{ key: string; now: unknown; restored: unknown }>;
}

export interface RollbackReport {
  batchId: BatchId | null;
  dryRun: boolean;
  undone: RollbackItem[];
  changedSince: Array<{ journalId: string; system: string; record: string; fields: string[] }>;
  cannotUndo: Array<{ journalId: string; system: string; record: string; why: string }>;
  /** Writes whose outcome is not known (see above): neither undone nor judged, for an operator to check. */
  undecided: Array<{ journalId: string; system: string; record: string | null; op: JournalOp; why: string }>;
  failed: Array<{ record: string; errors: string[] }>;
}

const SELECTED: JournalState[] = ['applied', 'unknown', 'intent'];

function selectorFilter(pair: string, s: RollbackSelector): JournalFilter {
  if ('batchId' in s) return { pair, batchId: s.batchId, states: SELECTED };
  if ('linkId' in s) return { pair, linkId: s.linkId, states: SELECTED };
  return { pair, since: s.since, ...(s.until ? { until: s.until } : {}), states: SELECTED };
}

function undecided(e: JournalEntry): RollbackReport['undecided'][number] {
  const why = e.state === 'unknown'
    ? `recovery could not tell whether this ${e.op} reached ${e.system} (${(e.error ?? '').replace(/^recovered: /, '')}): check the record there and undo by hand what Concord wrote, if it is there`
    : `its outcome is not known yet (the write is in flight, or was cut short and recovery, which runs when the daemon or a sync starts, has not resolved it): run the rollback again after that`;
  return { journalId: e.id, system: e.system, record: e.remoteId, op: e.op, why };
}

export async function rollback(deps: EngineDeps, selector: RollbackSelector, options: { dryRun?: boolean } = {}): Promise<RollbackReport> {
  const { mapping, store, clock, connectors } = deps;
  const selected = await store.listJournal(selectorFilter(mapping.pair, selector));
  const report: RollbackReport = { batchId: null, dryRun: options.dryRun === true, undone: [], changedSince: [], cannotUndo: [], undecided: [], failed: [] };
  report.undecided = selected.filter((e) => e.state !== 'applied').map(undecided);
  const entries = selected.filter((e) => e.state === 'applied').reverse();
  const groups = new Map<string, JournalEntry[]>();
  for (const e of entries) {
    if (!e.remoteId) continue;
    const k = `${e.side}\u0000${e.remoteId}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const ids: Record<Side, RemoteId[]> = { left: [], right: [] };
  for (const g of groups.values()) ids[g[0]!.side].push(g[0]!.remoteId!);
  const current = { left: await readRecords(deps, 'left', ids.left), right: await readRecords(deps, 'right', ids.right) };

  const plans: ItemPlan[] = [];
  const undoes = new Map<string, string>();
  const undoneBy = new Map<string, RollbackItem>();
  for (const group of groups.values()) {
    const { side, remoteId } = group[0]! as JournalEntry & { remoteId: RemoteId };
    const record = current[side].get(remoteId);
    if (!record) continue;
    const built = undoGroup(group, record, connectors[side].capabilities.delete !== 'none', report, (k, now, written) => keptAsWritten(mapping, side, k, now, written));
    if (!built) continue;
    const plan = emptyPlan(mapping.pair, `${side}:${remoteId}`, 'changes');
    plan.linkId = group[0]!.linkId;
    plan.seen = { [side]: { id: record.id, version: record.version, deleted: record.deleted === true } };
    const write: PlannedWrite = {
      ref: randomUUID(), side, op: built.op, remoteId, patch: built.patch, before: built.before, versionSeen: record.version,
      changes: built.fields.map((f) => ({ fieldId: f.key, path: f.key, side, old: f.now ?? null, new: f.restored ?? null, reason: 'rollback', strategy: null })),
      matchKey: null, idempotencyKey: randomUUID(),
    };
    if (built.op === 'delete') {
      write.changes = [{ fieldId: '*', path: '*', side, old: record.fields, new: null, reason: 'rollback', strategy: 'create undone' }];
      plan.unlink = true;
    } else if (plan.linkId) {
      plan.base = await restoredBase(deps, plan.linkId, side, record, built.patch);
    }
    plan.writes.push(write);
    plans.push(plan);
    undoes.set(write.ref, built.journalIds.join(','));
    const item: RollbackItem = { journalIds: built.journalIds, side, system: mapping[side].system, record: remoteId, op: built.op, fields: built.fields };
    undoneBy.set(write.ref, item);
  }
  // Undoing a create removes its link; the other side's undo in the same run then belongs to no link (it would
  // otherwise commit audit rows and a base for a link already gone, fail, and leave its write an open intent).
  const unlinked = new Set(plans.filter((p) => p.unlink && p.linkId).map((p) => p.linkId));
  for (const p of plans) {
    if (p.unlink || !p.linkId || !unlinked.has(p.linkId)) continue;
    p.linkId = null;
    p.base = null;
  }
  if (options.dryRun || plans.length === 0) {
    report.undone = [...undoneBy.values()];
    return report;
  }
  const batchId = asBatchId(randomUUID());
  report.batchId = batchId;
  const at = () => clock.now().toISOString();
  await store.startBatch({ id: batchId, pair: mapping.pair, kind: 'rollback', startedAt: at() });
  const results = await executePlans(deps, plans, batchId, { undoes });
  for (const res of results) {
    const write = res.plan.writes[0]!;
    const item = undoneBy.get(write.ref)!;
    if (res.outcome === 'committed') {
      report.undone.push(item);
      await store.transaction(async (tx) => {
        for (const id of item.journalIds) await tx.completeJournal(id, { state: 'rolled-back' }, at());
      });
    } else report.failed.push({ record: item.record, errors: res.outcome === 'failed' ? res.errors : [res.outcome] });
  }
  await store.finishBatch(batchId, at(), { undone: report.undone.length, changedSince: report.changedSince.length, cannotUndo: report.cannotUndo.length, undecided: report.undecided.length, failed: report.failed.length });
  return report;
}

/**
 * Walks one record's entries newest first over a simulated view of the record: each write is undone only when the
 * view still holds what it wrote; the first that does not stops the walk (older writes sit under a change made since).
 */
function undoGroup(
  group: JournalEntry[], record: RemoteRecord, canDelete: boolean, report: RollbackReport,
  stillWritten: (key: string, now: unknown, written: unknown) => boolean,
) {
  const view: Record<string, unknown> = structuredClone(record.fields);
  const journalIds: string[] = [];
  let op: 'update' | 'delete' = 'update';
  for (const [i, e] of group.entries()) {
    const where = { journalId: e.id, system: e.system, record: e.remoteId! };
    if (e.op === 'delete') {
      report.cannotUndo.push({ ...where, why: 'a delete cannot be undone through the connector: restore the record on the system' });
      markRest(group.slice(i + 1), report, 'an older write sits under a delete that cannot be undone');
      break;
    }
    const differs = Object.keys(e.after).filter((k) => !stillWritten(k, view[k], e.after[k]));
    if (record.deleted || differs.length > 0) {
      report.changedSince.push({ ...where, fields: record.deleted ? ['(record deleted)'] : differs });
      markRest(group.slice(i + 1), report, null);
      break;
    }
    if (e.op === 'create') {
      if (!canDelete) {
        report.cannotUndo.push({ ...where, why: `${e.system} cannot delete records: the create cannot be undone` });
        break;
      }
      op = 'delete';
      journalIds.push(e.id);
      break;
    }
    for (const k of Object.keys(e.after)) view[k] = e.before[k] ?? null;
    journalIds.push(e.id);
  }
  if (journalIds.length === 0) return undefined;
  const keys = [...new Set(group.filter((e) => journalIds.includes(e.id)).flatMap((e) => Object.keys(e.after)))];
  const fields = op === 'delete' ? [] : keys.filter((k) => !sameValue(record.fields[k], view[k]))
    .map((k) => ({ key: k, now: record.fields[k], restored: view[k] }));
  const patch = Object.fromEntries(fields.map((f) => [f.key, f.restored]));
  const before = Object.fromEntries(fields.map((f) => [f.key, f.now ?? null]));
  if (op === 'update' && fields.length === 0) return undefined;
  return { op, journalIds, fields, patch, before };
}

function markRest(rest: JournalEntry[], report: RollbackReport, why: string | null): void {
  for (const e of rest) {
    const where = { journalId: e.id, system: e.system, record: e.remoteId! };
    if (why) report.cannotUndo.push({ ...where, why });
    else report.changedSince.push({ ...where, fields: ['(a newer write on this record was changed since)'] });
  }
}

/** The base after restoring `patch` on `side`: that side's base takes the restored values, the other side keeps its own. */
async function restoredBase(deps: EngineDeps, linkId: LinkId, side: Side, record: RemoteRecord, patch: Record<string, unknown>): Promise<LinkBase | null> {
  const base = await deps.store.loadBase(linkId);
  if (!base) return null;
  const restored = { ...record.fields, ...patch };
  for (const f of deps.mapping.fields) {
    if (!(topKey(f[side]) in patch)) continue;
    const entry = base.fields[f.id];
    if (!entry) continue;
    entry[side] = { value: readField(restored, f[side]), version: null, changedAt: deps.clock.now().toISOString() };
    // The decision this undoes is void on both sides: a value the other side never received is no longer owed to it,
    // so its base becomes what it held (otherwise the next merge would send it the undone value).
    const other = side === 'left' ? 'right' : 'left';
    const pending = entry[other].pending;
    if (pending) entry[other] = { value: pending.held, version: null, changedAt: entry[other].changedAt };
  }
  return base;
}
