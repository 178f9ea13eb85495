export type JournalState = 'intent' | 'applied' | 'failed' | 'rolled-back' | 'unknown';
export type JournalOp = 'create' | 'update' | 'delete';
export type BatchKind = 'sync' | 'apply' | 'rollback' | 'resolve';

/** One write Concord made or meant to make: the intent is stored before the write goes out. */
export interface JournalTable {
  id: string;
  batch_id: string;
  pair: string;
  link_id: string | null;
  system: string;
  object: string;
  /** Null for a create whose record does not exist yet. */
  remote_id: string | null;
  op: JournalOp;
  state: JournalState;
  before_json: string | null;
  after_json: string | null;
  version_before: string | null;
  version_after: string | null;
  idempotency_key: string;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface BatchesTable {
  id: string;
  pair: string;
  kind: BatchKind;
  started_at: string;
  finished_at: string | null;
  /** JSON text: counts and whatever the pass wants to report. */
  summary: string | null;
}
