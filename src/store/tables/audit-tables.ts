/**
 * The audit log: append-only, one row per changed field, hash-chained. `seq` is given by
 * `appendAudit` (1, 2, 3, ... without gaps), so a removed row shows as a gap.
 */
export interface AuditTable {
  seq: number;
  at: string;
  pair: string;
  link_id: string | null;
  system: string;
  object: string;
  record_id: string | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
  reason: string;
  strategy: string | null;
  batch_id: string | null;
  journal_id: string | null;
  prev_hash: string;
  hash: string;
}

/** The last row of the chain (one row, id 1), so that removing the newest rows is detected too. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
