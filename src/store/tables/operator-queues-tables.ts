export type ConflictState = 'open' | 'resolved';

/** A field held for an operator (strategy `manual`). At most one open conflict per link and field. */
export interface ConflictsTable {
  id: string;
  pair: string;
  link_id: string;
  field: string;
  state: ConflictState;
  left_value: string | null;
  right_value: string | null;
  base_value: string | null;
  opened_at: string;
  /** When the mapping's fallback strategy applies if nobody resolves it; null: never. */
  fallback_due_at: string | null;
  resolved_at: string | null;
  /** JSON text: how it was resolved (`{ "take": "left" }`, a value, or the fallback used). */
  resolution: string | null;
}

/** Work that failed its last attempt, kept for an operator to retry or drop. */
export interface DeadLettersTable {
  id: string;
  system: string;
  pair: string | null;
  /** What failed (a link key, an inbox event); unique per system, so a repeat failure updates the row. */
  key: string;
  payload: string;
  error: string;
  attempts: number;
  created_at: string;
  last_error_at: string;
}
