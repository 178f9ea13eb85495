/**
 * Whether a side changed a field since the base: "by version first and value second" (DESIGN §5).
 */
import type { FieldBaseSide, MergeRule, SideRecord, SideVersion } from './merge-types.js';
import { parseInstant } from './instants.js';
import { fieldValuesEqual } from './value-equality.js';

/**
 * A read is stale when its record version differs from the base's and its modification time is older
 * than the base's: the system answered from an older copy (a lagging replica, a reordered webhook
 * payload). Such a read never overwrites anything: the side counts as unchanged. Without a base, or
 * with a time that is not ISO-8601, a read cannot be shown stale.
 */
export function isStaleRead(current: SideRecord, base: SideVersion | undefined): boolean {
  if (base === undefined || current.version === base.version) return false;
  const now = parseInstant(current.modifiedAt);
  const then = parseInstant(base.modifiedAt);
  return now !== undefined && then !== undefined && now < then;
}

/**
 * Whether `value`, read now at `record`, differs from the field's base on that side. The same version
 * as the base's means unchanged without looking at the value; no base means changed; a stale read is
 * never a change.
 */
export function hasSideChanged(
  rule: MergeRule,
  value: unknown,
  record: SideRecord,
  base: FieldBaseSide | undefined,
  stale: boolean,
): boolean {
  if (stale) return false;
  if (base === undefined) return true;
  if (base.version !== null && base.version === record.version) return false;
  return !fieldValuesEqual(rule, value, base.value);
}
