/**
 * What processing one work item decides before anything is written: the writes per side with their before and
 * after values, the audit rows they will produce, the base to store once they succeed, and the conflicts to open
 * or settle. Plain data, serialisable to JSON: `concord plan` prints it and `concord apply` carries it out.
 */
import type { Side } from '../../mapping/compiled-types.js';
import type { LinkId, RemoteId } from '../../shared/ids.js';
import type { PendingWrite } from '../merge/merge-types.js';
import type { AuditReason, JournalOp, LinkBase } from '../state/engine-store.js';

export interface FieldChange {
  /** CompiledField.id */
  fieldId: string;
  /** The target side's field path. */
  path: string;
  side: Side;
  old: unknown;
  new: unknown;
  reason: AuditReason;
  /** How a conflict was settled (`last-write-wins`, `prefer-right`, `manual -> prefer-left`), else null. */
  strategy: string | null;
}

export interface PlannedWrite {
  /** Unique within the pass; the WriteOp's `ref`. */
  ref: string;
  side: Side;
  op: JournalOp;
  /** Null for a create. */
  remoteId: RemoteId | null;
  /** The top-level keys the write sets. */
  patch: Record<string, unknown>;
  /** Those keys' values as read. */
  before: Record<string, unknown>;
  /** The record version as read; sent as `ifVersion` where the system has optimistic concurrency. */
  versionSeen: string | null;
  changes: FieldChange[];
  /** For creates: the match key the new record carries, so a create cut short by a crash is found, not repeated. */
  matchKey: { field: string; value: string; key: string } | null;
  idempotencyKey: string;
}

export interface ConflictToOpen {
  fieldId: string;
  left: unknown;
  right: unknown;
  base: unknown;
  fallbackDueAt: string | null;
}

export type ItemStatus = 'changes' | 'noop' | 'waiting' | 'duplicate' | 'skipped' | 'failed';

export interface ItemPlan {
  /** `link:<id>` or `<side>:<id>` for a record without a link. */
  key: string;
  pair: string;
  status: ItemStatus;
  linkId: LinkId | null;
  /** A link this item makes (by matching, or by the create it plans). */
  newLink: { leftId: RemoteId | null; rightId: RemoteId | null; matchKey: string | null } | null;
  /** Link to remove (delete policy `unlink`, or a propagated delete). */
  unlink: boolean;
  /** The versions read, so `apply` can refuse records that changed since. */
  seen: Partial<Record<Side, { id: RemoteId; version: string; deleted: boolean }>>;
  writes: PlannedWrite[];
  /** Fields settled or held without a write (conflicts opened, fields waiting), for the plan's reader. */
  notes: string[];
  conflictsToOpen: ConflictToOpen[];
  /** Open conflicts (by id) this item settles: by a fallback strategy after its due time. */
  conflictsToSettle: Array<{ id: string; fieldId: string; resolution: string }>;
  /** The base to store once every write succeeded; versions are filled from the write results. */
  base: LinkBase | null;
  /** Fields whose base stays as it was (held, unmappable, failed): their values did not reach agreement. */
  unsettledFields: string[];
  /**
   * For fields written on both sides: what each side held when the value was decided. If one side's write lands
   * and the other's does not, the latter's base is marked pending with it (see `FieldBaseSide.pending`).
   */
  held?: Record<string, Record<Side, PendingWrite>>;
}

export function emptyPlan(pair: string, key: string, status: ItemStatus): ItemPlan {
  return {
    key, pair, status, linkId: null, newLink: null, unlink: false, seen: {}, writes: [], notes: [],
    conflictsToOpen: [], conflictsToSettle: [], base: null, unsettledFields: [],
  };
}
