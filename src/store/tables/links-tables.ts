/**
 * Links and shadows: which left record belongs to which right record, and the base both sides last
 * agreed on. Values are JSON text (SQL NULL: the field was absent; 'null': it was null); times are
 * ISO-8601 UTC text, so SQLite and Postgres store and compare them alike.
 */
export interface LinksTable {
  id: string;
  pair: string;
  left_id: string;
  right_id: string;
  /** The normalised match key that made the link, when matching did. */
  match_key: string | null;
  created_at: string;
  updated_at: string;
}

/** The base of one mapped field of one link. */
export interface ShadowsTable {
  link_id: string;
  /** `CompiledField.id`, e.g. `firstname~merge_fields.FNAME`. */
  field: string;
  base_left: string | null;
  base_right: string | null;
  left_version: string | null;
  right_version: string | null;
  left_changed_at: string | null;
  right_changed_at: string | null;
  updated_at: string;
}

/** The record-level versions of both sides as of the last agreement. */
export interface RecordShadowsTable {
  link_id: string;
  left_version: string | null;
  left_modified_at: string | null;
  right_version: string | null;
  right_modified_at: string | null;
  updated_at: string;
}
