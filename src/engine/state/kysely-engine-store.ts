/**
 * The engine's store over the state database's repositories (SQLite or Postgres alike).
 *
 * Journal rows keep, besides the values a write sets, what the engine needs to resolve or undo them later: the
 * side written, the match key a create carries and, for rollback writes, the entry undone. They travel in the
 * `after` JSON as `{ fields, side, matchKey, undoes }`, so the journal table stays the store's own.
 */
import type { Side } from '../../mapping/compiled-types.js';
import { ConcordError } from '../../shared/errors/index.js';
import type { Clock } from '../../shared/clock.js';
import { asBatchId, asLinkId, asRemoteId, type BatchId, type LinkId } from '../../shared/ids.js';
import { appendAudit, listAudit } from '../../store/audit.js';
import { verifyAuditChain } from '../../store/audit-verify.js';
import { finishBatch, listBatches, startBatch } from '../../store/batches.js';
import { loadCursor, saveCursor } from '../../store/cursors.js';
import type { Db } from '../../store/database.js';
import {
  completeJournals, getJournalEntry, listJournal, recordIntents, type JournalEntry as StoredJournalEntry,
} from '../../store/journal.js';
import { deleteLink, findLinkBySide, findLinksBySide, getLink, insertNewLinks, listLinks, upsertLink, type Link } from '../../store/links.js';
import { loadShadow, loadShadows, replaceShadows, type FieldShadow, type Shadow } from '../../store/shadows.js';
import type { PendingWrite, RefusedWrite } from '../merge/merge-types.js';
import { withTransaction } from '../../store/transaction.js';
import { closeConflict, getConflict, insertConflict, listConflicts } from './conflict-rows.js';
import type { AuditRecord, EngineStore, JournalEntry, LinkBase, LinkRecord } from './engine-store.js';

interface JournalEnvelope {
  fields: Record<string, unknown>;
  side: Side;
  matchKey: { field: string; value: string; key: string } | null;
  undoes?: string;
  createdFrom?: string;
}

function toLinkRecord(l: Link): LinkRecord {
  return { id: l.id, pair: l.pair, leftId: l.leftId, rightId: l.rightId, matchKey: l.matchKey };
}

function toEntry(e: StoredJournalEntry): JournalEntry {
  const env = (e.after ?? { fields: {}, side: 'right', matchKey: null }) as unknown as JournalEnvelope;
  return {
    id: e.id, batchId: e.batchId, pair: e.pair, linkId: e.linkId, side: env.side, system: e.system, object: e.object,
    remoteId: e.remoteId, op: e.op, before: e.before ?? {}, after: env.fields ?? {}, versionBefore: e.versionBefore,
    idempotencyKey: e.idempotencyKey, matchKey: env.matchKey ?? null, ...(env.undoes ? { undoes: env.undoes } : {}),
    ...(env.createdFrom ? { createdFrom: asRemoteId(env.createdFrom) } : {}),
    state: e.state, versionAfter: e.versionAfter, error: e.error, createdAt: e.createdAt, updatedAt: e.updatedAt,
  };
}

/**
 * A field's pending markers (`FieldBaseSide.pending`) are kept in a shadow row of their own, named with this
 * prefix and the field's id, its base_left / base_right holding each side's marker or null: a base that moves on
 * without them deletes the row like any field it no longer has. (Field ids are `<left path>~<right path>`.)
 */
const PENDING_ROW = 'pending:';
/** Refused writes (`MergeBase.refused`) likewise: one row per field, base_left / base_right the marker or null. */
const REFUSED_ROW = 'refused:';

function toBase(s: Shadow): LinkBase | undefined {
  if (!s.record && s.fields.size === 0) return undefined;
  const base: LinkBase = {
    left: { version: s.record?.leftVersion ?? '', modifiedAt: s.record?.leftModifiedAt ?? '' },
    right: { version: s.record?.rightVersion ?? '', modifiedAt: s.record?.rightModifiedAt ?? '' },
    fields: {},
  };
  const pending: FieldShadow[] = [];
  for (const f of s.fields.values()) {
    if (f.field.startsWith(PENDING_ROW)) {
      pending.push(f);
      continue;
    }
    if (f.field.startsWith(REFUSED_ROW)) {
      const sides = {
        ...(isRefusedWrite(f.baseLeft) ? { left: f.baseLeft } : {}),
        ...(isRefusedWrite(f.baseRight) ? { right: f.baseRight } : {}),
      };
      base.refused = { ...base.refused, [f.field.slice(REFUSED_ROW.length)]: sides };
      continue;
    }
    base.fields[f.field] = {
      left: { value: f.baseLeft, version: f.leftVersion, changedAt: f.leftChangedAt },
      right: { value: f.baseRight, version: f.rightVersion, changedAt: f.rightChangedAt },
    };
  }
  for (const p of pending) {
    const field = base.fields[p.field.slice(PENDING_ROW.length)];
    if (!field) continue;
    if (isPendingWrite(p.baseLeft)) field.left.pending = p.baseLeft;
    if (isPendingWrite(p.baseRight)) field.right.pending = p.baseRight;
  }
  return base;
}

function isRefusedWrite(v: unknown): v is RefusedWrite {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'reason' in v;
}

function isPendingWrite(v: unknown): v is PendingWrite {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The shadow rows of a base: one per field, one per field with a pending side, one per field with a refused write. */
function shadowRows(base: LinkBase): FieldShadow[] {
  const rows: FieldShadow[] = [];
  for (const [field, f] of Object.entries(base.fields)) {
    rows.push({
      field, baseLeft: f.left.value, baseRight: f.right.value, leftVersion: f.left.version, rightVersion: f.right.version,
      leftChangedAt: f.left.changedAt, rightChangedAt: f.right.changedAt,
    });
    if (f.left.pending || f.right.pending) {
      rows.push({
        field: `${PENDING_ROW}${field}`, baseLeft: f.left.pending ?? null, baseRight: f.right.pending ?? null,
        leftVersion: null, rightVersion: null, leftChangedAt: null, rightChangedAt: null,
      });
    }
  }
  for (const [field, sides] of Object.entries(base.refused ?? {})) {
    if (!sides.left && !sides.right) continue;
    rows.push({
      field: `${REFUSED_ROW}${field}`, baseLeft: sides.left ?? null, baseRight: sides.right ?? null,
      leftVersion: null, rightVersion: null, leftChangedAt: null, rightChangedAt: null,
    });
  }
  return rows;
}

export function createEngineStore(db: Db, clock: Clock): EngineStore {
  const self: EngineStore = {
    transaction: (fn) => withTransaction(db, (trx) => fn(createEngineStore(trx, clock))),

    findLinkBySide: async (pair, side, id) => {
      const l = await findLinkBySide(db, pair, side, id);
      return l && toLinkRecord(l);
    },
    findLinksBySide: async (pair, side, ids) => {
      const found = await findLinksBySide(db, pair, side, ids);
      return new Map([...found].map(([id, l]) => [id, toLinkRecord(l)]));
    },
    getLink: async (id) => {
      const l = await getLink(db, id);
      return l && toLinkRecord(l);
    },
    listLinks: async (pair) => {
      const out: LinkRecord[] = [];
      for (let after: string | undefined; ;) {
        const page = await listLinks(db, pair, after === undefined ? { limit: 1000 } : { after, limit: 1000 });
        out.push(...page.map(toLinkRecord));
        if (page.length < 1000) return out;
        after = page[page.length - 1]!.id;
      }
    },
    insertLink: async (link) => {
      const res = await upsertLink(db, { pair: link.pair, leftId: link.leftId, rightId: link.rightId, matchKey: link.matchKey, now: clock.now() });
      if (!res.ok) {
        throw new ConcordError('CONCORD_ERR_ENGINE_LINK_TAKEN',
          `pair ${link.pair}: cannot link left ${link.leftId} to right ${link.rightId}: ${res.reason.replace(/-/g, ' ')} ` +
          `(link ${res.existing.id}: left ${res.existing.leftId}, right ${res.existing.rightId}); a record is linked at most once per pair`,
          { existing: res.existing.id });
      }
      return toLinkRecord(res.link);
    },
    insertLinks: async (links) => {
      const now = clock.now();
      const made = await insertNewLinks(db, links.map((l) => ({ pair: l.pair, leftId: l.leftId, rightId: l.rightId, matchKey: l.matchKey, now })));
      return made.map((l) => l && toLinkRecord(l));
    },
    deleteLink: async (id) => {
      await deleteLink(db, id);
    },

    loadBase: async (linkId) => toBase(await loadShadow(db, linkId)),
    loadBases: async (linkIds) => {
      const out = new Map<LinkId, LinkBase>();
      for (const [id, shadow] of await loadShadows(db, linkIds)) {
        const base = toBase(shadow);
        if (base) out.set(asLinkId(id), base);
      }
      return out;
    },

    saveBase: (linkId, base) => self.saveBases([{ linkId, base }]),
    saveBases: async (bases) => {
      await replaceShadows(db, bases.map(({ linkId, base, newLink }) => ({
        linkId, ...(newLink ? { newLink } : {}),
        record: {
          leftVersion: base.left.version || null, leftModifiedAt: base.left.modifiedAt || null,
          rightVersion: base.right.version || null, rightModifiedAt: base.right.modifiedAt || null,
        },
        fields: shadowRows(base),
      })), clock.now());
    },

    recordIntent: async (intent, at) => (await self.recordIntents([intent], at))[0]!,
    recordIntents: async (intents, at) => (await recordIntents(db, intents.map((intent) => {
      const envelope: JournalEnvelope = {
        fields: intent.after, side: intent.side, matchKey: intent.matchKey,
        ...(intent.undoes ? { undoes: intent.undoes } : {}), ...(intent.createdFrom ? { createdFrom: intent.createdFrom } : {}),
      };
      return {
        batchId: intent.batchId, pair: intent.pair, linkId: intent.linkId, system: intent.system, object: intent.object,
        remoteId: intent.remoteId, op: intent.op, before: intent.before, after: envelope as unknown as Record<string, unknown>,
        versionBefore: intent.versionBefore, idempotencyKey: intent.idempotencyKey, now: new Date(at),
      };
    }))).map(({ entry }) => entry.id),
    completeJournal: (id, outcome, at) => self.completeJournals([{ id, outcome, at }]),
    completeJournals: async (outcomes) => {
      await completeJournals(db, outcomes.map(({ id, outcome, at }) => ({
        id, state: outcome.state, now: new Date(at),
        // The stored `after` is an envelope (see JournalEnvelope): the outcome replaces its fields only.
        ...(outcome.after ? { after: (stored: Record<string, unknown> | undefined) => ({ ...stored, fields: outcome.after }) } : {}),
        ...(outcome.versionAfter !== undefined ? { versionAfter: outcome.versionAfter } : {}),
        ...(outcome.remoteId ? { remoteId: outcome.remoteId } : {}),
        ...(outcome.linkId ? { linkId: outcome.linkId } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      })));
    },
    getJournal: async (id) => {
      const e = await getJournalEntry(db, id);
      return e && toEntry(e);
    },
    listJournal: async (f) => (await listJournal(db, {
      ...(f.batchId ? { batchId: f.batchId } : {}), ...(f.linkId ? { linkId: f.linkId } : {}), ...(f.pair ? { pair: f.pair } : {}),
      ...(f.states ? { states: f.states } : {}), ...(f.since ? { since: f.since } : {}), ...(f.until ? { until: f.until } : {}),
    })).map(toEntry),

    appendAudit: async (rows) => {
      await appendAudit(db, rows.map((r) => ({
        at: r.time, pair: r.pair, linkId: r.linkId, system: r.system, object: r.object, recordId: r.record, field: r.field,
        old: r.old, new: r.new, reason: r.reason, strategy: r.strategy, batchId: r.batchId, journalId: r.journalId,
      })));
    },
    listAudit: async (f) => (await listAudit(db, {
      ...(f.since ? { since: f.since } : {}), ...(f.until ? { until: f.until } : {}), ...(f.pair ? { pair: f.pair } : {}),
      ...(f.system ? { system: f.system } : {}), ...(f.object ? { object: f.object } : {}), ...(f.record ? { recordId: f.record } : {}),
      ...(f.field ? { field: f.field } : {}),
    })).map((a): AuditRecord => ({
      seq: a.seq, time: a.at, pair: a.pair, linkId: a.linkId ? asLinkId(a.linkId) : null, system: a.system, object: a.object,
      record: a.recordId ?? '', field: a.field, old: a.old, new: a.new, reason: a.reason as AuditRecord['reason'],
      strategy: a.strategy ?? null, batchId: asBatchId(a.batchId ?? ''), journalId: a.journalId ?? null,
    })),
    verifyAudit: () => verifyAuditChain(db),

    openConflict: (c) => insertConflict(db, c),
    getConflict: (id) => getConflict(db, id),
    listConflicts: (f) => listConflicts(db, f),
    resolveConflict: (id, resolution, at) => closeConflict(db, id, resolution, at),

    startBatch: async (b) => {
      await startBatch(db, { id: b.id, pair: b.pair, kind: b.kind, now: new Date(b.startedAt) });
    },
    finishBatch: (id: BatchId, at, summary) => finishBatch(db, id, { summary, now: new Date(at) }),
    listBatches: async (pair) => (await listBatches(db, pair ? { pair, limit: 1000 } : { limit: 1000 })).map((b) => ({
      id: b.id, pair: b.pair, kind: b.kind, startedAt: b.startedAt, finishedAt: b.finishedAt, summary: b.summary ?? null,
    })),

    // A pair's own sync cursor is kept apart from the poller's intake cursor of the same system and object, so
    // that `sync --once` for one pair never makes the daemon, or another pair on the same object, skip changes.
    loadCursor: async (system, object, scope) => (await loadCursor(db, system, `${object}#${scope}`)) ?? null,
    saveCursor: (system, object, scope, cursor, at) => saveCursor(db, system, `${object}#${scope}`, cursor, new Date(at)),
  };
  return self;
}
