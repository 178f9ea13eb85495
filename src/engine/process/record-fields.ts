/**
 * Reading mapped fields from a record and building the patch a write carries. A write sets whole top-level
 * keys (with the untouched parts of a nested object copied from the record as read), so a connector never has
 * to merge nested paths itself and a field's siblings are never blanked.
 */
import { getPath, setPath } from '../../mapping/field-path.js';

export function readField(fields: Record<string, unknown>, path: string): unknown {
  return getPath(fields, path);
}

/** The top-level key a field path writes, e.g. `merge_fields` for `merge_fields.FNAME`. */
export function topKey(path: string): string {
  const m = /^[^.[]+/.exec(path);
  return m ? m[0] : path;
}

/**
 * The patch that sets `changes` (path -> value) on top of `current`: for every touched top-level key, its
 * full new value.
 */
export function buildPatch(current: Record<string, unknown>, changes: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const next = structuredClone(current);
  for (const [path, value] of changes) setPath(next, path, value);
  const patch: Record<string, unknown> = {};
  for (const path of changes.keys()) {
    const k = topKey(path);
    patch[k] = next[k];
  }
  return patch;
}

/** The values of the top-level keys of `patch` as they are in `current`: the before values of a journal intent. */
export function beforeValues(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(patch)) out[k] = current[k] === undefined ? null : structuredClone(current[k]);
  return out;
}
