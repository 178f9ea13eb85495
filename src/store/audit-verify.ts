import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import { AUDIT_GENESIS_HASH, hashAuditRow } from './audit-hash.js';
import type { AuditTable } from './tables/audit-tables.js';

export type AuditChainBreak = 'edited' | 'removed' | 'reordered' | 'added';

export type AuditVerification =
  | { ok: true; rows: number }
  /** `seq`: the first position where the chain no longer holds. */
  | { ok: false; seq: number; reason: AuditChainBreak; message: string; rowsChecked: number };

/**
 * Walks the chain from the first row, page by page, and reports the first place it breaks:
 * - `removed`: a seq is missing (or the newest rows are gone: the head says there were more);
 * - `reordered`: a row is chained to a row that exists elsewhere in the table (rows swapped places);
 * - `edited`: a row's content no longer gives its hash, or a row was re-hashed after an edit
 *   (the next row is chained to a hash no row has any more);
 * - `added`: rows after the head that appendAudit never wrote.
 */
export async function verifyAuditChain(db: Db, options: { pageSize?: number } = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 1000;
  let expectedSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const page = await db.selectFrom('audit').selectAll().where('seq', '>=', expectedSeq)
      .orderBy('seq').limit(pageSize).execute();
    for (const raw of page) {
      const row = { ...raw, seq: Number(raw.seq) };
      const broken = await checkRow(db, row, expectedSeq, prevHash, checked);
      if (broken) return broken;
      checked += 1;
      expectedSeq = row.seq + 1;
      prevHash = row.hash;
    }
    if (page.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const headSeq = Number(head?.seq ?? 0);
  const lastSeq = expectedSeq - 1;
  if (headSeq > lastSeq) {
    return fail(lastSeq + 1, 'removed', `rows ${lastSeq + 1}..${headSeq} are missing: the chain's head says it ends at ${headSeq}`, checked);
  }
  if (headSeq < lastSeq) {
    return fail(headSeq + 1, 'added', `rows ${headSeq + 1}..${lastSeq} were not written by Concord: the chain's head ends at ${headSeq}`, checked);
  }
  if (head && head.hash !== prevHash) {
    return fail(lastSeq, 'edited', `row ${lastSeq} was changed after it was written: its hash differs from the chain's head`, checked);
  }
  return { ok: true, rows: checked };
}

async function checkRow(
  db: Db, row: Selectable<AuditTable>, expectedSeq: number, prevHash: string, checked: number,
): Promise<AuditVerification | undefined> {
  if (row.seq !== expectedSeq) {
    const missing = row.seq - 1 === expectedSeq ? `row ${expectedSeq} is` : `rows ${expectedSeq}..${row.seq - 1} are`;
    return fail(expectedSeq, 'removed', `${missing} missing: the chain goes from ${expectedSeq - 1} to ${row.seq}`, checked);
  }
  if (row.prev_hash !== prevHash) {
    const owner = await db.selectFrom('audit').select('seq').where('hash', '=', row.prev_hash).executeTakeFirst();
    if (owner) {
      return fail(row.seq, 'reordered',
        `row ${row.seq} was written after the row now at seq ${Number(owner.seq)}, not after row ${row.seq - 1}: rows were moved`, checked);
    }
    const { hash: _hash, ...rest } = row;
    if (hashAuditRow(rest) === row.hash && row.seq > 1) {
      return fail(row.seq - 1, 'edited',
        `row ${row.seq - 1} was changed and re-hashed after it was written: row ${row.seq} is chained to a hash no row has`, checked);
    }
    return fail(row.seq, 'edited', `row ${row.seq} is chained to a hash no row has: it or its predecessor was changed`, checked);
  }
  const { hash: _hash, ...rest } = row;
  if (hashAuditRow(rest) !== row.hash) {
    return fail(row.seq, 'edited', `row ${row.seq} was changed after it was written: its content no longer gives its hash`, checked);
  }
  return undefined;
}

function fail(seq: number, reason: AuditChainBreak, message: string, rowsChecked: number): AuditVerification {
  return { ok: false, seq, reason, message, rowsChecked };
}
