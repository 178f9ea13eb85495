/**
 * The three-way field merge. `merge(input)` decides per field (pure, synchronous);
 * `finalizeBase(result.base, written)` gives the base to store once the decided writes succeeded.
 */
export { merge } from './merge.js';
export { finalizeBase, type WrittenSides } from './finalize-base.js';
export { valuesEqual, fieldValuesEqual, isEmptyValue, setsEqual } from './value-equality.js';
export type * from './merge-types.js';
