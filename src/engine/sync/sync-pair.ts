/**
 * One pair to quiescence (`concord sync --pair P --once`): list what changed on both sides since the pair's
 * stored cursors, process every key, and repeat until a pass writes nothing (the previous pass's own writes come
 * back as changes, and echo suppression makes them no-ops). Cursors move only after a pass in which every item
 * ended (committed, nothing to do, duplicate or skipped, or a write refused for good), so a failed or waiting
 * record is listed again next run.
 */
import { randomUUID } from 'node:crypto';
import type { Side } from '../../mapping/compiled-types.js';
import { asBatchId, type BatchId, type Cursor } from '../../shared/ids.js';
import type { EngineDeps } from '../engine-deps.js';
import type { ItemResult } from '../process/execute-plans.js';
import type { ItemPlan } from '../process/item-plan.js';
import { addListed, createListedRecords, forgetWritten, type ListedRecords } from '../process/listed-records.js';
import { planItems, processItems, type WorkItem } from '../process/process-items.js';
import { recoverIntents, type RecoveryReport } from '../recover/recover-intents.js';

export interface SyncProgress {
  pass: number;
  done: number;
  total: number;
}

export interface SyncOptions {
  /** Plan only: list and decide, write nothing, move no cursor. */
  dryRun?: boolean;
  onProgress?: (p: SyncProgress) => void;
  /** Passes before giving up on quiescence. Default is 20. */
  maxPasses?: number;
  /**
   * Process items in groups of this many (reads and writes are batched within a group). Default is 1000: enough
   * that the creates and updates of a group fill the providers' write batches (Mailchimp takes 500 members a call).
   */
  groupSize?: number;
}

export type ItemCounts = Record<ItemResult['outcome'], number>;

export interface SyncReport {
  batchId: BatchId;
  passes: number;
  quiescent: boolean;
  counts: ItemCounts;
  /** Field writes made, per side. */
  writes: Record<Side, number>;
  /** Items that did not end well, with why. Outcome `refused`: a write the target refused for good, not tried again. */
  problems: Array<{ key: string; outcome: string; notes: string[] }>;
  /** For a dry run: the plans of the first pass. */
  plans: ItemPlan[];
  recovery: RecoveryReport | null;
}

/** Lists what changed on `side`, keeping the records in `listed`: they are the pass's first reads of them. */
async function listChangedItems(deps: EngineDeps, side: Side, listed: ListedRecords): Promise<{ items: WorkItem[]; cursor: Cursor | null }> {
  const { mapping, store, connectors } = deps;
  const from = await store.loadCursor(mapping[side].system, mapping[side].object, mapping.pair);
  let cursor = from as Cursor | null;
  const items: WorkItem[] = [];
  for await (const page of connectors[side].listChanged(mapping[side].object, cursor, deps.contextFor(side))) {
    for (const r of page.records) {
      items.push({ side, id: r.id, listed: r });
      addListed(listed, mapping, side, r);
    }
    cursor = page.nextCursor;
    if (page.done) {
      listed.complete[side] = from === null;
      break;
    }
  }
  return { items, cursor };
}

async function listBothSides(deps: EngineDeps): Promise<{ l: Awaited<ReturnType<typeof listChangedItems>>; r: Awaited<ReturnType<typeof listChangedItems>>; listed: ListedRecords }> {
  const listed = createListedRecords();
  const [l, r] = await Promise.all([listChangedItems(deps, 'left', listed), listChangedItems(deps, 'right', listed)]);
  return { l, r, listed };
}

function emptyCounts(): ItemCounts {
  return { committed: 0, noop: 0, waiting: 0, duplicate: 0, skipped: 0, stale: 0, failed: 0 };
}

export async function syncPair(deps: EngineDeps, options: SyncOptions = {}): Promise<SyncReport> {
  const { mapping, store, clock } = deps;
  const batchId = asBatchId(randomUUID());
  const report: SyncReport = {
    batchId, passes: 0, quiescent: false, counts: emptyCounts(), writes: { left: 0, right: 0 }, problems: [], plans: [], recovery: null,
  };
  if (options.dryRun) {
    const { l, r, listed } = await listBothSides(deps);
    report.plans = await planItems(deps, dedupe([...(await dueConflictItems(deps)), ...l.items, ...r.items]), { listed });
    report.passes = 1;
    return report;
  }
  report.recovery = await recoverIntents(deps);
  await store.startBatch({ id: batchId, pair: mapping.pair, kind: 'sync', startedAt: clock.now().toISOString() });
  const maxPasses = options.maxPasses ?? 20;
  const groupSize = options.groupSize ?? 1000;
  let carried: WorkItem[] = [];
  let retryOnly = false;
  const problems = new Map<string, SyncReport['problems'][number]>();
  // Writes already made in this run: the same value written to the same field again means the system did not
  // keep it (an unknown merge field, a value it normalises); repeating it would never reach quiescence.
  const written = new Map<string, number>();
  for (let pass = 1; pass <= maxPasses; pass++) {
    report.passes = pass;
    const { l, r, listed } = await listBothSides(deps);
    const items = dedupe([...carried, ...(await dueConflictItems(deps)), ...l.items, ...r.items]);
    let wrote = 0;
    let progress = 0;
    let repeated = 0;
    const repeats = new Map<string, string[]>();
    let allEnded = true;
    carried = [];
    for (let i = 0; i < items.length; i += groupSize) {
      const group = items.slice(i, i + groupSize);
      const { results } = await processItems(deps, group, batchId, { listed });
      forgetWritten(listed, mapping, results);
      for (const res of results) {
        report.counts[res.outcome] += 1;
        if (res.outcome === 'committed') {
          progress += 1;
          for (const w of res.plan.writes) {
            report.writes[w.side] += 1;
            wrote += 1;
            const sigs = w.changes.map((c) => `${mapping[w.side].system}:${mapping[w.side].object}/${w.remoteId ?? '(new)'} ${c.path} = ${JSON.stringify(c.new)}`);
            if (w.op === 'update' && sigs.length > 0 && sigs.every((sig) => written.has(sig))) {
              repeated += 1;
              repeats.set(res.key, sigs.map((sig) => `${sig} was written ${written.get(sig)! + 1} times: the system does not keep it (check the field exists there and accepts that value)`));
            }
            for (const sig of sigs) written.set(sig, (written.get(sig) ?? 0) + 1);
          }
        }
        // An item reported under its record's key before it was linked is now reported under its link's.
        // A value not kept, or a write refused for good, stays reported: it describes a write of this run, not the
        // item's state (the refused write is left out of later passes, which then see nothing to do).
        for (const k of [res.key, ...itemsOfPlan(res.plan).map((w) => `${w.side}:${w.id}`)]) {
          const kept = problems.get(k)?.outcome;
          if (kept !== 'not-kept' && kept !== 'refused') problems.delete(k);
        }
        if (res.outcome === 'committed' && res.notKept) problems.set(res.key, { key: res.key, outcome: 'not-kept', notes: res.notKept });
        if (res.outcome === 'failed' && res.refusedForGood) {
          for (const w of res.plan.writes.filter((x) => res.refusedForGood!.landed.includes(x.ref))) {
            report.writes[w.side] += 1;
            wrote += 1;
          }
          // Refused for good (a validation or permanent answer): remembered with the base, so it is not tried
          // again and the item has ended; it neither holds the cursors back nor is carried to a retry pass.
          problems.set(res.key, { key: res.key, outcome: 'refused', notes: [...res.errors, ...res.plan.notes] });
        } else if (res.outcome === 'waiting' || res.outcome === 'failed' || res.outcome === 'stale') {
          allEnded = false;
          carried.push(...itemsOfPlan(res.plan));
          problems.set(res.key, { key: res.key, outcome: res.outcome, notes: res.outcome === 'failed' ? [...res.errors, ...res.plan.notes] : res.plan.notes });
        } else if (res.outcome === 'duplicate' || res.outcome === 'skipped') {
          problems.set(res.key, { key: res.key, outcome: res.outcome, notes: res.plan.notes });
          // A duplicate may be one only for the moment (its match is linked to a record deleted in this same
          // pass): it is looked at again in the next pass, without holding back the cursors.
          if (res.outcome === 'duplicate') carried.push(...itemsOfPlan(res.plan));
        }
      }
      options.onProgress?.({ pass, done: Math.min(i + groupSize, items.length), total: items.length });
    }
    if (items.length === 0) options.onProgress?.({ pass, done: 0, total: 0 });
    // A write whose answer was lost left its intent open: settle it by reading the target before the item is
    // planned again, so the journal tells which attempt reached the system.
    if (!allEnded) {
      const recovered = await recoverIntents(deps);
      progress += recovered.applied.length + recovered.notApplied.length;
      if (report.recovery) {
        report.recovery.applied.push(...recovered.applied);
        report.recovery.notApplied.push(...recovered.notApplied);
        report.recovery.unknown.push(...recovered.unknown);
      }
    }
    if (allEnded) {
      if (l.cursor !== null) await store.saveCursor(mapping.left.system, mapping.left.object, mapping.pair, l.cursor, clock.now().toISOString());
      if (r.cursor !== null) await store.saveCursor(mapping.right.system, mapping.right.object, mapping.pair, r.cursor, clock.now().toISOString());
    }
    // Quiescent: nothing was written, so nothing new can come back. Items that failed are tried again first (a lost
    // answer, a refused write may go through now), as long as the passes make progress; a retry pass that
    // settles nothing ends the run.
    if (wrote === 0) {
      const retry = carried.length > 0 && (!retryOnly || progress > 0);
      if (!retry) {
        report.quiescent = true;
        break;
      }
      retryOnly = true;
      continue;
    }
    retryOnly = false;
    if (repeated === wrote) {
      for (const [key, notes] of repeats) problems.set(key, { key, outcome: 'not-kept', notes });
      break;
    }
  }
  report.problems = [...problems.values()];
  await store.finishBatch(batchId, clock.now().toISOString(), { ...report.counts, writesLeft: report.writes.left, writesRight: report.writes.right, passes: report.passes });
  return report;
}

function dedupe(items: WorkItem[]): WorkItem[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = `${i.side}:${i.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Links whose manual conflicts are past their fallback time: processed even when neither side changed. */
async function dueConflictItems(deps: EngineDeps): Promise<WorkItem[]> {
  const now = deps.clock.now().toISOString();
  const due = (await deps.store.listConflicts({ pair: deps.mapping.pair, state: 'open' }))
    .filter((c) => c.fallbackDueAt !== null && c.fallbackDueAt <= now);
  const items: WorkItem[] = [];
  for (const c of due) {
    const link = await deps.store.getLink(c.linkId);
    if (link) items.push({ side: 'left', id: link.leftId });
  }
  return items;
}

function itemsOfPlan(plan: ItemPlan): WorkItem[] {
  return (['left', 'right'] as const).flatMap((side) => (plan.seen[side] ? [{ side, id: plan.seen[side]!.id }] : []));
}
