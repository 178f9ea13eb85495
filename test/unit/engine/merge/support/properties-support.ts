/** Small readings of merge values used to state properties. */
import { listAsSet } from '../../../../../src/engine/merge/value-equality.js';

export { fieldValuesEqual, isEmptyValue, type MergeResult } from '../../../../../src/engine/merge/index.js';

/** The identities of a list's items as a set (see merge-set's identity rule). */
export function listAsSetIds(v: unknown, key: string | undefined): Set<string> {
  return new Set(listAsSet(v, key)?.keys() ?? []);
}
