/**
 * Processing work items (DESIGN §2 steps 3-6): read both sides now (batched `get`; whatever a webhook carried is
 * only a hint), link unlinked records, decide every field, write, commit. A stale-version answer sends the item
 * back to the read step, a bounded number of times.
 */
import type { RemoteRecord } from '../../connectors/contract.js';
import type { CompiledMapping, Side } from '../../mapping/compiled-types.js';
import type { BatchId, LinkId, RemoteId } from '../../shared/ids.js';
import { decideLinks, type UnlinkedRecord } from '../link/match-records.js';
import type { EngineDeps } from '../engine-deps.js';
import { chunkOps } from '../plan/write-batches.js';
import type { ConflictRecord, LinkBase, LinkRecord } from '../state/engine-store.js';
import { executePlans, type ItemResult } from './execute-plans.js';
import { emptyPlan, type ItemPlan } from './item-plan.js';
import { prefetchLookups } from './lookup-context.js';
import { prepareCreate } from './prepare-create.js';
import { prepareLinked, seenOf } from './prepare-linked.js';
import { listedWithKey, type ListedRecords } from './listed-records.js';
import { readField } from './record-fields.js';
import { sameValue } from './same-value.js';
import { recoverItemsIntents } from '../recover/stranded-intents.js';

/** A record that changed (or may have) on one side. */
export interface WorkItem {
  side: Side;
  id: RemoteId;
  /**
   * The record as this pass's listing returned it, when the item comes from a listing and nothing else asked for it
   * (a retry, a due conflict). Default is none: the record is read.
   */
  listed?: RemoteRecord;
}

export interface PlanOptions {
  /** Operator decisions per link: field id -> value in LEFT space (conflict resolution). */
  forced?: ReadonlyMap<LinkId, ReadonlyMap<string, unknown>>;
  /**
   * What this sync pass listed (see listed-records.ts): listed records are used as first reads, and a complete
   * listing answers identity matching. Default is none: every record is read and matched with `find`.
   */
  listed?: ListedRecords;
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
  const planned = await planFrom(deps, items, options, false);
  // Conflicts settled by time (last-write-wins, merge-set) use per-field change times, which a listing or a search
  // may leave out where a read by id gives them (HubSpot's property history): such an item is planned again from reads.
  const redo = planned.filter((p) => p.withoutTimes && p.plan.writes.some((w) => w.changes.some((c) => c.reason === 'conflict')));
  if (redo.length === 0) return planned.map((p) => p.plan);
  const again = await planFrom(deps, redo.flatMap((p) => itemsOf(p.plan)), { ...(options.forced ? { forced: options.forced } : {}) }, true);
  return [...planned.filter((p) => !redo.includes(p)).map((p) => p.plan), ...again.map((p) => p.plan)];
}

interface Planned {
  plan: ItemPlan;
  /** The plan rests on a record not read by id (listed or found) that carries no per-field change times. */
  withoutTimes: boolean;
}

/**
 * A link whose sides that came in, as listed, hold every mapped field at the value its base holds for that side:
 * nothing changed there since both sides agreed (typically Concord's own write coming back), so the other side
 * need not be read. Values, not the record version, decide: a write without a version check may have carried
 * along someone else's change, which the version the write answered would hide.
 */
function unchangedSinceBase(mapping: CompiledMapping, link: LinkRecord, base: LinkBase | undefined, listedSides: ReadonlyMap<Side, RemoteRecord | undefined>): boolean {
  if (!base || listedSides.size === 0) return false;
  for (const [side, record] of listedSides) {
    if (!record || record.deleted || record.id !== (side === 'left' ? link.leftId : link.rightId)) return false;
    for (const f of mapping.fields) {
      const agreed = base.fields[f.id];
      if (!agreed || agreed.left.pending !== undefined || agreed.right.pending !== undefined) return false;
      if (!sameValue(readField(record.fields, f[side]), agreed[side].value)) return false;
    }
  }
  return true;
}

async function planFrom(deps: EngineDeps, items: readonly WorkItem[], options: PlanOptions, fresh: boolean): Promise<Planned[]> {
  const { store, mapping } = deps;
  const links = new Map<LinkId, LinkRecord>();
  const unlinked: WorkItem[] = [];
  const seenUnlinked = new Set<string>();
  // Per link, the sides its items came in on, with the listed record when every item of that side was listed.
  const linkSides = new Map<LinkId, Map<Side, RemoteRecord | undefined>>();
  const given: Record<Side, Map<RemoteId, RemoteRecord>> = { left: new Map(), right: new Map() };
  // A listed record Concord wrote since in this pass (the pass's view no longer holds it) is read instead.
  const usable = (item: WorkItem): RemoteRecord | undefined =>
    fresh || !item.listed || (options.listed && options.listed.records[item.side].get(item.id) !== item.listed) ? undefined : item.listed;
  for (const item of items) {
    const listed = usable(item);
    if (listed) given[item.side].set(item.id, listed);
  }
  const known = {
    left: await store.findLinksBySide(mapping.pair, 'left', items.filter((i) => i.side === 'left').map((i) => i.id)),
    right: await store.findLinksBySide(mapping.pair, 'right', items.filter((i) => i.side === 'right').map((i) => i.id)),
  };
  for (const item of items) {
    const link = known[item.side].get(item.id);
    if (link) {
      links.set(link.id, link);
      const sides = linkSides.get(link.id) ?? new Map<Side, RemoteRecord | undefined>();
      sides.set(item.side, sides.has(item.side) && !sides.get(item.side) ? undefined : usable(item));
      linkSides.set(link.id, sides);
    } else if (!seenUnlinked.has(`${item.side}:${item.id}`)) {
      seenUnlinked.add(`${item.side}:${item.id}`);
      unlinked.push(item);
    }
  }
  const bases = await store.loadBases([...links.keys()]);
  const conflicts = new Map<LinkId, ConflictRecord[]>();
  for (const c of await store.listConflicts({ pair: mapping.pair, state: 'open' })) conflicts.set(c.linkId, [...(conflicts.get(c.linkId) ?? []), c]);
  const planned: Planned[] = [];
  for (const link of [...links.values()]) {
    if (fresh || options.forced?.has(link.id) || conflicts.has(link.id)) continue;
    const sides = linkSides.get(link.id)!;
    if (!unchangedSinceBase(mapping, link, bases.get(link.id), sides)) continue;
    // Nothing changed since both sides agreed: no read of the other side is needed to know there is nothing to do.
    const plan = emptyPlan(mapping.pair, `link:${link.id}`, 'noop');
    plan.linkId = link.id;
    plan.seen = Object.fromEntries([...sides].map(([side, r]) => [side, seenOf(r!)]));
    plan.notes.push('unchanged since the sides last agreed (every mapped field as listed holds the agreed value)');
    planned.push({ plan, withoutTimes: false });
    links.delete(link.id);
  }
  const listedRecord = (side: Side, id: RemoteId): RemoteRecord | undefined =>
    fresh ? undefined : given[side].get(id) ?? options.listed?.records[side].get(id);
  const ids: Record<Side, RemoteId[]> = { left: [], right: [] };
  for (const l of links.values()) {
    if (!listedRecord('left', l.leftId)) ids.left.push(l.leftId);
    if (!listedRecord('right', l.rightId)) ids.right.push(l.rightId);
  }
  for (const u of unlinked) if (!listedRecord(u.side, u.id)) ids[u.side].push(u.id);
  const [leftRead, rightRead] = await Promise.all([readRecords(deps, 'left', ids.left), readRecords(deps, 'right', ids.right)]);
  const readById = new Set<RemoteRecord>([...leftRead.values(), ...rightRead.values()]);
  const recordOf = (side: Side, id: RemoteId): RemoteRecord => (side === 'left' ? leftRead : rightRead).get(id) ?? listedRecord(side, id)!;
  const withoutTimes = (...records: RemoteRecord[]) => records.some((r) => !readById.has(r) && r.fieldTimes === undefined);
  const all: Array<{ side: Side; record: RemoteRecord }> = [
    ...[...links.values()].flatMap((l) => [{ side: 'left' as const, record: recordOf('left', l.leftId) }, { side: 'right' as const, record: recordOf('right', l.rightId) }]),
    ...unlinked.map((u) => ({ side: u.side, record: recordOf(u.side, u.id) })),
  ];
  const tctx = await prefetchLookups(store, mapping, all);

  for (const link of links.values()) {
    const left = recordOf('left', link.leftId);
    const right = recordOf('right', link.rightId);
    const forced = options.forced?.get(link.id);
    planned.push({
      plan: await prepareLinked(deps, {
        key: `link:${link.id}`, linkId: link.id, left, right, base: bases.get(link.id) ?? null, tctx,
        openConflicts: conflicts.get(link.id) ?? [], ...(forced ? { forced } : {}),
      }),
      withoutTimes: withoutTimes(left, right),
    });
  }
  const candidates: UnlinkedRecord[] = unlinked.map((u) => ({ side: u.side, record: recordOf(u.side, u.id) }));
  const listedKeys = fresh ? undefined : options.listed;
  for (const d of await decideLinks(deps, candidates, listedKeys ? (side, rule, key) => listedWithKey(listedKeys, side, `${rule}:${key}`) : undefined)) {
    const key = `${d.side}:${d.record.id}`;
    if (d.kind === 'link') {
      // The matched record came from a listing of this pass or from `find`, both as fresh as a read; when planning
      // again from reads, it is read like any other.
      const other = fresh ? (await readRecords(deps, d.side === 'left' ? 'right' : 'left', [d.other.id])).get(d.other.id) ?? d.other : d.other;
      if (fresh) readById.add(other);
      const left = d.side === 'left' ? d.record : other;
      const right = d.side === 'left' ? other : d.record;
      planned.push({
        plan: await prepareLinked(deps, { key, linkId: null, left, right, base: null, tctx, matchKey: d.matchKey, openConflicts: [] }),
        withoutTimes: withoutTimes(left, right),
      });
    } else if (d.kind === 'create') {
      planned.push({ plan: await prepareCreate(deps, key, d.side, d.record, d.matchKey, tctx), withoutTimes: false });
    } else {
      // A record deleted before it was ever linked leaves nothing to do. A filter that could not be evaluated
      // holds the record (waiting, so its cursor does not move past it) instead of dropping it for good.
      const status = d.kind === 'duplicate' ? 'duplicate' : d.reason === 'deleted' ? 'noop' : d.reason === 'filter-failed' ? 'waiting' : 'skipped';
      const p = emptyPlan(mapping.pair, key, status);
      p.seen = { [d.side]: { id: d.record.id, version: d.record.version, deleted: d.record.deleted === true } };
      p.notes.push(d.kind === 'skip' && d.reason === 'filter-failed' ? `waiting on the ${d.side} filter: ${d.message}` : d.message);
      planned.push({ plan: p, withoutTimes: false });
    }
  }
  return planned;
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
  // A write of these records whose answer was lost earlier in this process is decided before anything new is.
  await recoverItemsIntents(deps, items);
  let pending: readonly WorkItem[] = items;
  const limit = deps.maxStaleRetries ?? 3;
  let planOptions = options;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const plans = await planItems(deps, pending, planOptions);
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
    // What the pass listed is older than the answers that came back stale: the next attempt reads.
    planOptions = { ...(options.forced ? { forced: options.forced } : {}) };
  }
  return { results, gaveUp: [] };
}
