/**
 * Carrying out item plans: a journal intent for every write is committed BEFORE the writes go out; writes are
 * grouped per target side into the connector's batches; then one transaction per group of items stores each
 * item's new base, journal outcomes, one audit row per changed field, new links and conflicts. A failed write fails
 * only its own item; a stale-version answer sends the item back to the read step.
 */
import type { WriteOp } from '../../connectors/contract.js';
import type { Side } from '../../mapping/compiled-types.js';
import { asLinkId, type BatchId, type LinkId, type RemoteId } from '../../shared/ids.js';
import type { EngineDeps } from '../engine-deps.js';
import { chunkOps, isUnknownOutcome, writeInBatches, type WriteOutcome } from '../plan/write-batches.js';
import type { AuditEntry, JournalOutcome, LinkBase, LinkRecord } from '../state/engine-store.js';
import type { ItemPlan, PlannedWrite } from './item-plan.js';
import { readField } from './record-fields.js';
import { sameValue } from './same-value.js';
import { keptAsWritten } from './kept-as-written.js';
import { isRefusedForGood, mergeRefusals, refusalsOf, type RefusedWrites } from './refused-writes.js';
import { processItems } from './process-items.js';
import { createdToSettle } from './settle-created.js';

export type ItemResult =
  | { key: string; outcome: 'committed' | 'noop' | 'waiting' | 'duplicate' | 'skipped'; linkId: LinkId | null; plan: ItemPlan;
      /** Values a system answered a write with other than they were sent (dropped or normalised). */
      notKept?: string[] }
  | { key: string; outcome: 'stale'; plan: ItemPlan }
  | { key: string; outcome: 'failed'; plan: ItemPlan; errors: string[];
      /**
       * Every failed write of the item was refused for good (validation, permanent) and is remembered with the base
       * (see `refused-writes.ts`): it is not tried again, so the item has ended, with this to report. `landed`: the refs
       * of the item's writes that went through.
       */
      refusedForGood?: { landed: string[] } };

function toOp(w: PlannedWrite, optimistic: boolean): WriteOp {
  if (w.op === 'create') return { kind: 'create', ref: w.ref, fields: w.patch, idempotencyKey: w.idempotencyKey };
  const ifVersion = optimistic && w.versionSeen !== null ? { ifVersion: w.versionSeen } : {};
  if (w.op === 'delete') return { kind: 'delete', ref: w.ref, id: w.remoteId!, idempotencyKey: w.idempotencyKey, ...ifVersion };
  return { kind: 'update', ref: w.ref, id: w.remoteId!, fields: w.patch, idempotencyKey: w.idempotencyKey, ...ifVersion };
}

/** Writes the journal intents of `plans` (one transaction, a few statements), returning journal ids by write ref. */
async function recordIntents(deps: EngineDeps, plans: readonly ItemPlan[], batchId: BatchId, undoes?: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const { mapping, store, clock } = deps;
  const at = clock.now().toISOString();
  const ids = new Map<string, string>();
  const writes = plans.flatMap((p) => p.writes.map((w) => ({ p, w })));
  if (writes.length === 0) return ids;
  const journalIds = await store.transaction((tx) => tx.recordIntents(writes.map(({ p, w }) => ({
    batchId, pair: mapping.pair, linkId: p.linkId, side: w.side, system: mapping[w.side].system, object: mapping[w.side].object,
    remoteId: w.remoteId, op: w.op, before: w.before, after: w.patch, versionBefore: w.versionSeen,
    idempotencyKey: w.idempotencyKey, matchKey: w.matchKey, ...(undoes?.has(w.ref) ? { undoes: undoes.get(w.ref)! } : {}),
    ...(w.op === 'create' && (p.newLink?.leftId ?? p.newLink?.rightId) ? { createdFrom: (p.newLink!.leftId ?? p.newLink!.rightId)! } : {}),
  })), at));
  writes.forEach(({ w }, i) => ids.set(w.ref, journalIds[i]!));
  return ids;
}

export async function executePlans(
  deps: EngineDeps,
  plans: readonly ItemPlan[],
  batchId: BatchId,
  options: {
    undoes?: ReadonlyMap<string, string>;
    /** Process links just made by creates once more, so values the target filled in settle now. Default is true. */
    settleCreated?: boolean;
  } = {},
): Promise<ItemResult[]> {
  const { mapping, connectors } = deps;
  const active = plans.filter((p) => p.status === 'changes');
  const journalIds = await recordIntents(deps, active, batchId, options.undoes);
  const outcomes = new Map<string, WriteOutcome>();
  await Promise.all((['left', 'right'] as const).map(async (side) => {
    const ops = active.flatMap((p) => p.writes.filter((w) => w.side === side))
      .map((w) => toOp(w, connectors[side].capabilities.optimisticConcurrency));
    if (ops.length === 0) return;
    const res = await writeInBatches(connectors[side], mapping[side].object, ops, deps.contextFor(side));
    for (const [ref, o] of res) outcomes.set(ref, o);
  }));
  const committed = new Map<ItemPlan, ItemResult>();
  for (const chunk of chunkOps(active, deps.commitGroupSize ?? COMMIT_GROUP)) {
    for (const [plan, result] of await commitChunk(deps, chunk, outcomes, journalIds, batchId)) committed.set(plan, result);
  }
  const results: ItemResult[] = plans.map((p) => committed.get(p)
    ?? { key: p.key, outcome: p.status === 'failed' ? 'skipped' : p.status as Exclude<ItemPlan['status'], 'changes' | 'failed'>, linkId: p.linkId, plan: p });
  const settle = options.settleCreated === false || options.undoes ? [] : createdToSettle(deps, results);
  if (settle.length > 0) results.push(...(await processItems(deps, settle, batchId)).results);
  return results;
}

/**
 * Items committed in one transaction together: each item's rows stay all-or-nothing, and a commit per item would
 * cost most of a large sync's time. Small enough that the transaction holds the database only briefly (on SQLite,
 * every other query of the process waits for it).
 */
const COMMIT_GROUP = 100;

/**
 * Commits `plans` in one transaction; when that fails, one transaction per item, so that an item whose bookkeeping
 * cannot be committed (a link refused, the database gone) fails alone. Its writes went out: the intents stay open
 * and recovery settles them.
 */
async function commitChunk(
  deps: EngineDeps, plans: readonly ItemPlan[], outcomes: Map<string, WriteOutcome>, journalIds: Map<string, string>, batchId: BatchId,
): Promise<Map<ItemPlan, ItemResult>> {
  if (plans.length > 1) {
    try {
      return await commitGroup(deps, plans, outcomes, journalIds, batchId);
    } catch {
      // Tried again item by item below: the one that fails is reported, the others commit.
    }
  }
  const out = new Map<ItemPlan, ItemResult>();
  for (const p of plans) {
    try {
      out.set(p, (await commitGroup(deps, [p], outcomes, journalIds, batchId)).get(p)!);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      deps.log.error({ event: 'engine:item:commit-failed', key: p.key, err: message }, 'commit failed after the writes');
      out.set(p, { key: p.key, outcome: 'failed', plan: p, errors: [`commit failed: ${message}`] });
    }
  }
  return out;
}

/**
 * What the items of a group leave to be written together at the end of its transaction: a few statements for the
 * whole group instead of several per item. New links are inserted together first (their ids are needed for the
 * rest); conflicts are written as each item goes.
 */
interface GroupWrites {
  journal: Array<{ id: string; outcome: JournalOutcome; at: string }>;
  /** In item order: the audit chain is the same as when the items are committed one by one. */
  audit: AuditEntry[];
  bases: Map<LinkId, LinkBase>;
  /** The stored bases of the group's linked items, read in one go. */
  stored: Map<LinkId, LinkBase>;
  /** The links the group's items make, inserted in one go; an item missing here links on its own (`insertLink`). */
  links: Map<ItemPlan, LinkRecord>;
}

/** The link `plan` makes now: to the record it matched, or to the record its create made, if that went through. */
function linkToMake(deps: EngineDeps, plan: ItemPlan, outcomes: Map<string, WriteOutcome>): Omit<LinkRecord, 'id'> | undefined {
  if (!plan.newLink) return undefined;
  const created = plan.writes.find((w) => w.op === 'create');
  const createdOk = created ? outcomes.get(created.ref) : undefined;
  const leftId = plan.newLink.leftId ?? (createdOk?.ok ? createdOk.record.id : null);
  const rightId = plan.newLink.rightId ?? (createdOk?.ok ? createdOk.record.id : null);
  if (!leftId || !rightId || (created && !createdOk?.ok)) return undefined;
  return { pair: deps.mapping.pair, leftId: leftId as RemoteId, rightId: rightId as RemoteId, matchKey: plan.newLink.matchKey };
}

async function commitGroup(
  deps: EngineDeps, plans: readonly ItemPlan[], outcomes: Map<string, WriteOutcome>, journalIds: Map<string, string>, batchId: BatchId,
): Promise<Map<ItemPlan, ItemResult>> {
  return deps.store.transaction(async (tx) => {
    const inTx: EngineDeps = { ...deps, store: tx };
    const linked = plans.filter((p) => p.base && p.linkId !== null).map((p) => p.linkId!);
    const toLink = plans.map((p) => [p, linkToMake(deps, p, outcomes)] as const).filter((e): e is [ItemPlan, Omit<LinkRecord, 'id'>] => e[1] !== undefined);
    const made = toLink.length > 0 ? await tx.insertLinks(toLink.map(([, l]) => l)) : [];
    const group: GroupWrites = {
      journal: [], audit: [], bases: new Map(), stored: linked.length > 0 ? await tx.loadBases(linked) : new Map(),
      links: new Map(toLink.flatMap(([p], i) => (made[i] ? [[p, made[i]!] as const] : []))),
    };
    const out = new Map<ItemPlan, ItemResult>();
    for (const p of plans) out.set(p, await commitItem(inTx, p, outcomes, journalIds, batchId, group));
    if (group.journal.length > 0) await tx.completeJournals(group.journal);
    if (group.audit.length > 0) await tx.appendAudit(group.audit);
    const newLinks = new Set([...group.links.values()].map((l) => l.id));
    if (group.bases.size > 0) await tx.saveBases([...group.bases].map(([linkId, base]) => ({ linkId, base, newLink: newLinks.has(linkId) })));
    return out;
  });
}

/** One item's part of its group's transaction (`deps.store` is that transaction). */
async function commitItem(
  deps: EngineDeps, plan: ItemPlan, outcomes: Map<string, WriteOutcome>, journalIds: Map<string, string>, batchId: BatchId,
  group: GroupWrites,
): Promise<ItemResult> {
  const { mapping, store: tx, clock } = deps;
  const at = clock.now().toISOString();
  const ok = new Map<Side, Extract<WriteOutcome, { ok: true }>>();
  const errors: string[] = [];
  let refusals: RefusedWrites = {};
  let stale = false;
  for (const w of plan.writes) {
    const o = outcomes.get(w.ref)!;
    if (o.ok) ok.set(w.side, o);
    else {
      if (o.error.kind === 'stale-version') stale = true;
      if (!isUnknownOutcome(o) && isRefusedForGood(o.error.kind) && w.op === 'update') {
        refusals = mergeRefusals(refusals, refusalsOf(w, `${o.error.kind}: ${o.error.message}`, at)) ?? {};
        errors.push(`update of ${w.changes.map((c) => c.path).join(', ')} on ${mapping[w.side].system} ${w.remoteId}: refused for good ` +
          `(${o.error.kind}: ${o.error.message}); not sent again until either side changes ${w.changes.length === 1 ? 'this field' : 'these fields'}`);
        continue;
      }
      errors.push(`${w.op} on ${mapping[w.side].system} ${w.remoteId ?? '(new)'}: ${o.error.kind}: ${o.error.message}`);
    }
  }
  const allOk = errors.length === 0;
  let linkId = plan.linkId;
  let remembered = false;
  for (const w of plan.writes) {
    const o = outcomes.get(w.ref)!;
    const jid = journalIds.get(w.ref)!;
    // An unknown outcome keeps its intent open: recovery reads the target to learn what happened.
    if (isUnknownOutcome(o)) continue;
    if (!o.ok) group.journal.push({ id: jid, outcome: { state: 'failed', error: `${o.error.kind}: ${o.error.message}` }, at });
  }
  const toLink = linkToMake(deps, plan, outcomes);
  if (toLink) linkId = (group.links.get(plan) ?? await tx.insertLink(toLink)).id;
  for (const w of plan.writes) {
    const o = outcomes.get(w.ref)!;
    if (!o.ok) continue;
    group.journal.push({ id: journalIds.get(w.ref)!, outcome: {
      state: 'applied', after: w.patch, versionAfter: o.record.version, remoteId: o.record.id, ...(linkId ? { linkId } : {}),
    }, at });
    for (const c of w.changes) {
      group.audit.push({
        time: at, pair: mapping.pair, linkId, system: mapping[w.side].system, object: mapping[w.side].object,
        record: o.record.id, field: c.path, old: c.old, new: c.new, reason: c.reason, strategy: c.strategy,
        batchId, journalId: journalIds.get(w.ref)!,
      });
    }
  }
  if (linkId && plan.unlink && allOk) {
    await tx.deleteLink(linkId);
    // Its shadows went with it.
    group.bases.delete(linkId);
  } else if (linkId) {
    if (plan.base) {
      // A link made by this item has no stored base yet.
      const old = plan.linkId === null ? undefined : group.bases.get(linkId) ?? group.stored.get(linkId);
      const base = finishBase(plan, ok, allOk, old);
      const refused = mergeRefusals(base.refused, refusals);
      group.bases.delete(linkId);
      group.bases.set(linkId, refused ? { ...base, refused } : base);
      remembered = Object.keys(refusals).length > 0;
    }
    for (const c of plan.conflictsToOpen) {
      await tx.openConflict({ pair: mapping.pair, linkId, field: c.fieldId, left: c.left, right: c.right, base: c.base, openedAt: at, fallbackDueAt: c.fallbackDueAt });
    }
    if (allOk) for (const c of plan.conflictsToSettle) await tx.resolveConflict(c.id, c.resolution, at);
  }
  if (stale) return { key: plan.key, outcome: 'stale', plan };
  const failedWrites = plan.writes.filter((w) => !outcomes.get(w.ref)!.ok);
  const forGood = remembered && failedWrites.every((w) => { const o = outcomes.get(w.ref)!; return !o.ok && !isUnknownOutcome(o) && isRefusedForGood(o.error.kind) && w.op === 'update'; });
  if (!allOk) return { key: plan.key, outcome: 'failed', plan, errors, ...(forGood ? { refusedForGood: { landed: [...ok.values()].map((o) => o.ref) } } : {}) };
  const notKept = notKeptValues(deps, plan, outcomes);
  for (const n of notKept) deps.log.warn({ event: 'engine:write:not-kept', key: plan.key }, n);
  return { key: plan.key, outcome: 'committed', linkId: linkId ? asLinkId(linkId) : null, plan, ...(notKept.length > 0 ? { notKept } : {}) };
}

/**
 * The base to store. Written sides move their record version and time to what the write answered (the stale-read
 * threshold); field versions of written fields stay unknown, so values are compared next time. When a write
 * failed, the fields it carried keep their old base and the record versions stay as they were.
 */
function finishBase(plan: ItemPlan, ok: Map<Side, Extract<WriteOutcome, { ok: true }>>, allOk: boolean, old: LinkBase | undefined): LinkBase {
  const base = structuredClone(plan.base!);
  // Sides whose writes landed first: a failed side's fields are settled against what they hold.
  for (const side of (['left', 'right'] as const).filter((s) => ok.has(s)).concat((['left', 'right'] as const).filter((s) => !ok.has(s)))) {
    const r = ok.get(side);
    if (r) {
      base[side] = { version: r.record.version, modifiedAt: r.record.modifiedAt };
      // The base holds what the system kept, not what was sent: a system that drops or normalises a value must
      // not look, on the next pass, like a user who changed it (which would send the loss back to the source).
      for (const w of plan.writes.filter((x) => x.side === side && x.op !== 'delete')) {
        for (const c of w.changes) {
          const f = base.fields[c.fieldId];
          if (f) f[side] = { ...f[side], value: readField(r.record.fields, c.path) };
        }
      }
      continue;
    }
    const other: Side = side === 'left' ? 'right' : 'left';
    const landed = new Set(ok.has(other) ? plan.writes.filter((x) => x.side === other).flatMap((x) => x.changes.map((c) => c.fieldId)) : []);
    for (const w of plan.writes.filter((x) => x.side === side)) {
      for (const c of w.changes) {
        // The agreed value reached the other side only: keep it, marked pending here, so the next merge neither
        // counts the other side's landed write as a user's change nor loses this side's changes since.
        const held = plan.held?.[c.fieldId]?.[side];
        const f = base.fields[c.fieldId];
        if (held && f && landed.has(c.fieldId)) {
          f[side] = { ...f[side], version: null, pending: held };
          continue;
        }
        if (old?.fields[c.fieldId]) base.fields[c.fieldId] = structuredClone(old.fields[c.fieldId]!);
        else delete base.fields[c.fieldId];
      }
    }
  }
  if (!allOk && old) {
    base.left = old.left;
    base.right = old.right;
  }
  return base;
}

/**
 * Fields whose value, as the system answered the write, is not the value sent: the system dropped it (a field it
 * does not know) or changed it. The base records what the system kept, so nothing flows back; this says why the
 * two sides still differ.
 */
function notKeptValues(deps: EngineDeps, plan: ItemPlan, outcomes: Map<string, WriteOutcome>): string[] {
  const out: string[] = [];
  for (const w of plan.writes) {
    const o = outcomes.get(w.ref);
    if (!o?.ok || w.op === 'delete') continue;
    for (const c of w.changes) {
      const kept = readField(o.record.fields, c.path);
      if (!keptAsWritten(deps.mapping, w.side, c.path, kept, c.new)) {
        out.push(`${deps.mapping[w.side].system}:${deps.mapping[w.side].object}/${o.record.id} ${c.path}: wrote ${JSON.stringify(c.new)}, ` +
          `the system kept ${kept === undefined ? 'nothing' : JSON.stringify(kept)} (check that the field exists there and accepts that value)`);
      }
    }
  }
  return out;
}
