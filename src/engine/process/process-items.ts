/**
 * Processing work items (DESIGN §2 steps 3-6): read both sides now (batched `get`; whatever a webhook carried is
 * only a hint), link unlinked records, decide every field, write, commit. A stale-version answer sends the item
 * back to the read step, a bounded number of times.
 */
import type { RemoteRecord } from '../../connectors/contract.js';
import type { Side } from '../../mapping/compiled-types.js';
import type { BatchId, LinkId, RemoteId } from '../../shared/ids.js';
import { decideLinks, type UnlinkedRecord } from '../link/match-records.js';
import type { EngineDeps } from '../engine-deps.js';
import { chunkOps } from '../plan/write-batches.js';
import type { ConflictRecord, LinkRecord } from '../state/engine-store.js';
import { executePlans, type ItemResult } from './execute-plans.js';
import { emptyPlan, type ItemPlan } from './item-plan.js';
import { prefetchLookups } from './lookup-context.js';
import { prepareCreate } from './prepare-create.js';
import { prepareLinked } from './prepare-linked.js';

/** A record that changed (or may have) on one side. */
export interface WorkItem {
  side: Side;
  id: RemoteId;
}

export interface PlanOptions {
  /** Operator decisions per link: field id -> value in LEFT space (conflict resolution). */
  forced?: ReadonlyMap<LinkId, ReadonlyMap<string, unknown>>;
}

/** Reads `ids` of one side in batches of the connector's `maxReadBatch`. */
export async function readRecords(deps: EngineDeps, side: Side, ids: readonly RemoteId[]): Promise<Map<RemoteId, RemoteRecord>> {
  const out = new Map<RemoteId, RemoteRecord>();
  const connector = deps.connectors[side];
  for (const chunk of chunkOps([...new Set(ids)], connector.capabilities.maxReadBatch)) {
    const got = await connector.get(deps.mapping[side].object, chunk, deps.contextFor(side));
    for (const [id, r] of got) out.set(id, r);
  }
  return out;
}

/** What a pass would do for `items` now, writing nothing. */
export async function planItems(deps: EngineDeps, items: readonly WorkItem[], options: PlanOptions = {}): Promise<ItemPlan[]> {
  const { store, mapping } = deps;
  const links = new Map<LinkId, LinkRecord>();
  const unlinked: WorkItem[] = [];
  const seenUnlinked = new Set<string>();
  const known = {
    left: await store.findLinksBySide(mapping.pair, 'left', items.filter((i) => i.side === 'left').map((i) => i.id)),
    right: await store.findLinksBySide(mapping.pair, 'right', items.filter((i) => i.side === 'right').map((i) => i.id)),
  };
  for (const item of items) {
    const link = known[item.side].get(item.id);
    if (link) links.set(link.id, link);
    else if (!seenUnlinked.has(`${item.side}:${item.id}`)) {
      seenUnlinked.add(`${item.side}:${item.id}`);
      unlinked.push(item);
    }
  }
  const ids: Record<Side, RemoteId[]> = { left: [], right: [] };
  for (const l of links.values()) {
    ids.left.push(l.leftId);
    ids.right.push(l.rightId);
  }
  for (const u of unlinked) ids[u.side].push(u.id);
  const [leftRecords, rightRecords] = await Promise.all([readRecords(deps, 'left', ids.left), readRecords(deps, 'right', ids.right)]);
  const read: Record<Side, Map<RemoteId, RemoteRecord>> = { left: leftRecords, right: rightRecords };
  const all: Array<{ side: Side; record: RemoteRecord }> = [
    ...[...leftRecords.values()].map((record) => ({ side: 'left' as const, record })),
    ...[...rightRecords.values()].map((record) => ({ side: 'right' as const, record })),
  ];
  const tctx = await prefetchLookups(store, mapping, all);

  const plans: ItemPlan[] = [];
  const bases = await store.loadBases([...links.keys()]);
  const conflicts = new Map<LinkId, ConflictRecord[]>();
  for (const c of await store.listConflicts({ pair: mapping.pair, state: 'open' })) conflicts.set(c.linkId, [...(conflicts.get(c.linkId) ?? []), c]);
  for (const link of links.values()) {
    const left = leftRecords.get(link.leftId)!;
    const right = rightRecords.get(link.rightId)!;
    const forced = options.forced?.get(link.id);
    plans.push(await prepareLinked(deps, {
      key: `link:${link.id}`, linkId: link.id, left, right, base: bases.get(link.id) ?? null, tctx,
      openConflicts: conflicts.get(link.id) ?? [], ...(forced ? { forced } : {}),
    }));
  }
  const candidates: UnlinkedRecord[] = unlinked.map((u) => ({ side: u.side, record: read[u.side].get(u.id)! }));
  for (const d of await decideLinks(deps, candidates)) {
    const key = `${d.side}:${d.record.id}`;
    if (d.kind === 'link') {
      // The matched record was found by `find`; read it like any other so its version is current.
      const fresh = (await readRecords(deps, d.side === 'left' ? 'right' : 'left', [d.other.id])).get(d.other.id) ?? d.other;
      const left = d.side === 'left' ? d.record : fresh;
      const right = d.side === 'left' ? fresh : d.record;
      plans.push(await prepareLinked(deps, { key, linkId: null, left, right, base: null, tctx, matchKey: d.matchKey, openConflicts: [] }));
    } else if (d.kind === 'create') {
      plans.push(await prepareCreate(deps, key, d.side, d.record, d.matchKey, tctx));
    } else {
      // A record deleted before it was ever linked leaves nothing to do. A filter that could not be evaluated
      // holds the record (waiting, so its cursor does not move past it) instead of dropping it for good.
      const status = d.kind === 'duplicate' ? 'duplicate' : d.reason === 'deleted' ? 'noop' : d.reason === 'filter-failed' ? 'waiting' : 'skipped';
      const p = emptyPlan(mapping.pair, key, status);
      p.seen = { [d.side]: { id: d.record.id, version: d.record.version, deleted: d.record.deleted === true } };
      p.notes.push(d.kind === 'skip' && d.reason === 'filter-failed' ? `waiting on the ${d.side} filter: ${d.message}` : d.message);
      plans.push(p);
    }
  }
  return plans;
}

export interface ProcessReport {
  results: ItemResult[];
  /** Items still stale after the last retry. */
  gaveUp: string[];
}

function itemsOf(plan: ItemPlan): WorkItem[] {
  return (['left', 'right'] as const).flatMap((side) => (plan.seen[side] ? [{ side, id: plan.seen[side]!.id }] : []));
}

/** Plans and carries out `items`, re-reading items answered with a stale version (at most `maxStaleRetries` times). */
export async function processItems(deps: EngineDeps, items: readonly WorkItem[], batchId: BatchId, options: PlanOptions = {}): Promise<ProcessReport> {
  const results: ItemResult[] = [];
  let pending: readonly WorkItem[] = items;
  const limit = deps.maxStaleRetries ?? 3;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const plans = await planItems(deps, pending, options);
    const done = await executePlans(deps, plans, batchId);
    const stale = done.filter((r) => r.outcome === 'stale');
    results.push(...done.filter((r) => r.outcome !== 'stale'));
    if (stale.length === 0) break;
    if (attempt >= limit) {
      results.push(...stale);
      return { results, gaveUp: stale.map((s) => s.key) };
    }
    deps.log.info({ event: 'engine:item:stale', count: stale.length, attempt }, 'stale versions: reading again');
    pending = stale.flatMap((s) => itemsOf(s.plan));
  }
  return { results, gaveUp: [] };
}
