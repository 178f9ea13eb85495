import { createHash } from 'node:crypto';
import type { AuditTable } from './tables/audit-tables.js';

/** The prev_hash of the first row (also what migration 0004 writes as the empty chain's head). */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** The columns a row's hash covers: all but the hash itself. */
export type HashedAuditRow = Omit<AuditTable, 'hash'>;

/**
 * sha256 over the previous row's hash and a canonical JSON of this row (keys sorted, values exactly
 * as stored, `seq` included, so moving a row to another position breaks its hash too).
 */
export function hashAuditRow(row: HashedAuditRow): string {
  return createHash('sha256').update(row.prev_hash).update('\n').update(canonicalJson(row)).digest('hex');
}

/** JSON with object keys sorted at every level, so equal data always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
