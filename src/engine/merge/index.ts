/**
 * The three-way field merge (DESIGN §2 step 4). How the engine uses it, for one link:
 *
 * ```ts
 * const result = merge({
 *   fields: mapping.fields.map((rule) => ({
 *     rule, left: l, right: r,                       // raw values read now (getPath on each record)
 *     leftAsRight: await rule.transform.toRight(l, ctx),
 *     rightAsLeft: await rule.transform.toLeft(r, ctx),
 *     leftChangedAt: leftRecord.fieldTimes?.[rule.left], rightChangedAt: rightRecord.fieldTimes?.[rule.right],
 *   })),
 *   left: leftRecord, right: rightRecord,            // version + modifiedAt
 *   base: storedShadow ?? null, priority: mapping.priority, now: clock.now(), openConflicts,
 * });
 * if (!result.ready) retryLater();                   // a lookup reference is not linked yet: write nothing
 * // per field: d.write.left?.value as is; d.write.right?.value through toRight (a failure there: do not write it)
 * // after the writes succeed, in the commit transaction:
 * const base = finalizeBase(result.base, { rightValues, after: { left: writtenLeft, right: writtenRight } });
 * // when one side's writes landed and the other's did not, add `unwritten: { side, old: storedShadow }`
 * ```
 *
 * Open a conflict row for each of `result.conflictsOpened`, close those of `result.conflictsClosed`;
 * audit each decision by its outcome (`propagate.reason`, `settled.strategy`, `viaFallback`).
 */
export { merge } from './merge.js';
export { finalizeBase, type WrittenSides } from './finalize-base.js';
export { valuesEqual, fieldValuesEqual, isEmptyValue, setsEqual } from './value-equality.js';
export type * from './merge-types.js';
