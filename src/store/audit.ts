import { sql, type Selectable } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './dialect-of.js';
import { AUDIT_GENESIS_HASH, hashAuditRow } from './audit-hash.js';
import { fromJsonText, toJsonText } from './json-text.js';
import type { AuditTable } from './tables/audit-tables.js';
import { statementChunks } from './statement-rows.js';
import { withTransaction } from './transaction.js';

/** Why a value changed. */
export type AuditReason = 'propagated' | 'created' | 'deleted' | 'conflict' | 'manual-resolution' | 'fallback' | 'rollback' | (string & {});

export interface NewAuditRow {
  at: Date | string;
  pair: string;
  linkId?: string | null;
  system: string;
  object: string;
  recordId?: string | null;
  field: string;
  old: unknown;
  new: unknown;
  reason: AuditReason;
  /** The conflict strategy that decided, when one did. */
  strategy?: string | null;
  batchId?: string | null;
  journalId?: string | null;
}

export interface AuditEntry extends Omit<NewAuditRow, 'at'> {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

/** Values per audit row in an insert: its 16 columns. */
const AUDIT_COLUMNS = 16;

/** Arbitrary constant naming the audit chain's advisory lock on Postgres. */
const AUDIT_LOCK_KEY = 727_001_001;

/**
 * Appends rows to the hash chain, in order. Appends are serialised so that two writers never chain to
 * the same head: on Postgres by a transaction-scoped advisory lock, on SQLite by taking the write lock
 * (touching the head row) before reading the head. Runs in the caller's transaction when given one. However many
 * rows, that is one lock, one read of the head, as few inserts as the parameter limit allows and one head update.
 */
export async function appendAudit(db: Db, rows: readonly NewAuditRow[]): Promise<AuditEntry[]> {
  if (rows.length === 0) return [];
  return withTransaction(db, async (trx) => {
    if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)})`.execute(trx);
    else await trx.updateTable('audit_head').set((eb) => ({ seq: eb.ref('seq') })).where('id', '=', 1).execute();
    const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    let seq = Number(head?.seq ?? 0);
    let prev = head?.hash ?? AUDIT_GENESIS_HASH;
    const stored: AuditTable[] = rows.map((r) => {
      seq += 1;
      const row = {
        seq, at: new Date(r.at).toISOString(), pair: r.pair, link_id: r.linkId ?? null, system: r.system,
        object: r.object, record_id: r.recordId ?? null, field: r.field, old_value: toJsonText(r.old),
        new_value: toJsonText(r.new), reason: r.reason, strategy: r.strategy ?? null, batch_id: r.batchId ?? null,
        journal_id: r.journalId ?? null, prev_hash: prev,
      };
      prev = hashAuditRow(row);
      return { ...row, hash: prev };
    });
    for (const chunk of statementChunks(trx, stored, AUDIT_COLUMNS)) await trx.insertInto('audit').values(chunk).execute();
    await trx.insertInto('audit_head').values({ id: 1, seq, hash: prev })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seq, hash: prev })).execute();
    return stored.map(toAuditEntry);
  });
}

export interface AuditFilter {
  /** at >= since (ISO-8601). */
  since?: string;
  until?: string;
  pair?: string;
  linkId?: string;
  batchId?: string;
  system?: string;
  object?: string;
  recordId?: string;
  field?: string;
  /** Rows after this seq: for paging. */
  afterSeq?: number;
  limit?: number;
}

/** Audit rows in chain order. */
export async function listAudit(db: Db, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit').selectAll();
  if (filter.since !== undefined) q = q.where('at', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('at', '<', filter.until);
  if (filter.pair !== undefined) q = q.where('pair', '=', filter.pair);
  if (filter.linkId !== undefined) q = q.where('link_id', '=', filter.linkId);
  if (filter.batchId !== undefined) q = q.where('batch_id', '=', filter.batchId);
  if (filter.system !== undefined) q = q.where('system', '=', filter.system);
  if (filter.object !== undefined) q = q.where('object', '=', filter.object);
  if (filter.recordId !== undefined) q = q.where('record_id', '=', filter.recordId);
  if (filter.field !== undefined) q = q.where('field', '=', filter.field);
  if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
  q = q.orderBy('seq');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return (await q.execute()).map(toAuditEntry);
}

export function toAuditEntry(row: Selectable<AuditTable>): AuditEntry {
  return {
    seq: Number(row.seq), at: row.at, pair: row.pair, linkId: row.link_id, system: row.system, object: row.object,
    recordId: row.record_id, field: row.field, old: fromJsonText(row.old_value), new: fromJsonText(row.new_value),
    reason: row.reason, strategy: row.strategy, batchId: row.batch_id, journalId: row.journal_id,
    prevHash: row.prev_hash, hash: row.hash,
  };
}
