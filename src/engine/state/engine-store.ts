/**
 * What the engine needs from the state store (DESIGN §6), as one small interface. The engine depends on this
 * seam, not on tables: `createEngineStore(db)` (kysely-engine-store.ts) implements it over the store's
 * repositories, on SQLite and Postgres alike.
 */
import type { BatchId, LinkId, RemoteId } from '../../shared/ids.js';
import type { Side } from '../../mapping/compiled-types.js';
import type { MergeBase } from '../merge/merge-types.js';
import type { AuditVerification } from '../../store/audit-verify.js';

export interface LinkRecord {
  id: LinkId;
  pair: string;
  leftId: RemoteId;
  rightId: RemoteId;
  /** The normalised match key the link was made on, or null for a link made by a create without one. */
  matchKey: string | null;
}

/** The shadow of one link is the merge's base: per-field agreed values with versions, and per-side record versions. */
export type LinkBase = MergeBase;

export type JournalOp = 'create' | 'update' | 'delete';
export type JournalState = 'intent' | 'applied' | 'failed' | 'rolled-back' | 'unknown';

export interface JournalIntent {
  batchId: BatchId;
  pair: string;
  linkId: LinkId | null;
  side: Side;
  system: string;
  object: string;
  /** Null for a create until its outcome names the new id. */
  remoteId: RemoteId | null;
  op: JournalOp;
  /** Target field values (top-level keys) before the write; for a create, empty. */
  before: Record<string, unknown>;
  /** What the write sets. */
  after: Record<string, unknown>;
  versionBefore: string | null;
  idempotencyKey: string;
  /** For creates: the match key the created record will carry, so recovery can find it. */
  matchKey: { field: string; value: string; key: string } | null;
  /** What this write undoes, for rollback entries. */
  undoes?: string;
  /** For creates: the record the new one is made from, so recovery can link the two. */
  createdFrom?: RemoteId;
}

export interface JournalEntry extends JournalIntent {
  id: string;
  state: JournalState;
  versionAfter: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface JournalOutcome {
  state: Exclude<JournalState, 'intent'>;
  after?: Record<string, unknown>;
  versionAfter?: string | null;
  remoteId?: RemoteId;
  linkId?: LinkId;
  error?: string;
}

export type AuditReason = 'propagated' | 'created' | 'deleted' | 'conflict' | 'manual-resolution' | 'rollback';

export interface AuditEntry {
  time: string;
  pair: string;
  linkId: LinkId | null;
  system: string;
  object: string;
  record: string;
  field: string;
  old: unknown;
  new: unknown;
  reason: AuditReason;
  /** For conflicts: the strategy that settled it (`last-write-wins`, `manual` fallback `prefer-left`, ...). */
  strategy: string | null;
  batchId: BatchId;
  journalId: string | null;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
}

export interface AuditFilter {
  since?: string;
  until?: string;
  pair?: string;
  system?: string;
  object?: string;
  record?: string;
  field?: string;
}

export type ConflictState = 'open' | 'resolved';

export interface ConflictRecord {
  id: string;
  pair: string;
  linkId: LinkId;
  field: string;
  left: unknown;
  right: unknown;
  base: unknown;
  state: ConflictState;
  openedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  fallbackDueAt: string | null;
}

export interface BatchRecord {
  id: BatchId;
  pair: string;
  kind: 'sync' | 'apply' | 'rollback' | 'resolve';
  startedAt: string;
  finishedAt: string | null;
  summary: Record<string, unknown> | null;
}

export interface JournalFilter {
  batchId?: BatchId;
  since?: string;
  until?: string;
  pair?: string;
  linkId?: LinkId;
  states?: JournalState[];
}

export type { AuditVerification } from '../../store/audit-verify.js';

export interface EngineStore {
  /** Runs `fn` in one transaction; everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: EngineStore) => Promise<T>): Promise<T>;

  findLinkBySide(pair: string, side: Side, id: RemoteId): Promise<LinkRecord | undefined>;
  /** The links of many records of one side at once, keyed by that side's id. */
  findLinksBySide(pair: string, side: Side, ids: readonly RemoteId[]): Promise<Map<RemoteId, LinkRecord>>;
  getLink(id: LinkId): Promise<LinkRecord | undefined>;
  listLinks(pair: string): Promise<LinkRecord[]>;
  insertLink(link: Omit<LinkRecord, 'id'>): Promise<LinkRecord>;
  /**
   * Links many pairs of records in a few statements, in the order given; undefined where a record is linked already
   * (`insertLink` then says whether to the same record, or refuses).
   */
  insertLinks(links: ReadonlyArray<Omit<LinkRecord, 'id'>>): Promise<Array<LinkRecord | undefined>>;
  deleteLink(id: LinkId): Promise<void>;

  loadBase(linkId: LinkId): Promise<LinkBase | undefined>;
  /** Bases of many links at once; links without a base are absent from the map. */
  loadBases(linkIds: readonly LinkId[]): Promise<Map<LinkId, LinkBase>>;
  saveBase(linkId: LinkId, base: LinkBase): Promise<void>;
  /**
   * Many links' bases in a few statements; as `saveBase` for each, in order (a link given twice keeps the last).
   * `newLink`: the link was made in this transaction, so it has no base to read first.
   */
  saveBases(bases: ReadonlyArray<{ linkId: LinkId; base: LinkBase; newLink?: boolean }>): Promise<void>;

  recordIntent(intent: JournalIntent, at: string): Promise<string>;
  /** Many intents in a few statements; their journal ids in the order given. */
  recordIntents(intents: readonly JournalIntent[], at: string): Promise<string[]>;
  completeJournal(id: string, outcome: JournalOutcome, at: string): Promise<void>;
  /** Many outcomes in a few statements; as `completeJournal` for each, in order. */
  completeJournals(outcomes: ReadonlyArray<{ id: string; outcome: JournalOutcome; at: string }>): Promise<void>;
  getJournal(id: string): Promise<JournalEntry | undefined>;
  listJournal(filter: JournalFilter): Promise<JournalEntry[]>;

  appendAudit(rows: AuditEntry[]): Promise<void>;
  listAudit(filter: AuditFilter): Promise<AuditRecord[]>;
  verifyAudit(): Promise<AuditVerification>;

  openConflict(c: Omit<ConflictRecord, 'id' | 'state' | 'resolvedAt' | 'resolution'>): Promise<ConflictRecord>;
  getConflict(id: string): Promise<ConflictRecord | undefined>;
  listConflicts(filter: { pair?: string; linkId?: LinkId; state?: ConflictState }): Promise<ConflictRecord[]>;
  resolveConflict(id: string, resolution: string, at: string): Promise<void>;

  startBatch(batch: Omit<BatchRecord, 'finishedAt' | 'summary'>): Promise<void>;
  finishBatch(id: BatchId, at: string, summary: Record<string, unknown>): Promise<void>;
  listBatches(pair?: string): Promise<BatchRecord[]>;

  loadCursor(system: string, object: string, scope: string): Promise<string | null>;
  saveCursor(system: string, object: string, scope: string, cursor: string, at: string): Promise<void>;
}
