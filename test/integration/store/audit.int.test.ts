import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { appendAudit, listAudit, verifyAuditChain, withTransaction, type NewAuditRow } from '../../../src/store/index.js';
import { describeEachDialect, type GetStore } from '../../support/db.js';

const row = (i: number, extra: Partial<NewAuditRow> = {}): NewAuditRow => ({
  at: new Date(Date.UTC(2026, 2, 1, 10, 0, i)), pair: 'crm-marketing', linkId: `link-${i % 3}`, system: 'mailchimp',
  object: 'members', recordId: `m${i}`, field: 'merge_fields.FNAME', old: `name ${i}`, new: { first: `name ${i + 1}` },
  reason: 'propagated', strategy: i % 2 ? 'last-write-wins' : null, batchId: 'batch-1', journalId: `j${i}`, ...extra,
});

async function resetAudit(getStore: GetStore): Promise<void> {
  const { db } = getStore();
  await db.deleteFrom('audit').execute();
  await db.updateTable('audit_head').set({ seq: 0, hash: '0'.repeat(64) }).where('id', '=', 1).execute();
}

describeEachDialect('audit chain', (getStore) => {
  beforeEach(() => resetAudit(getStore));

  it('appends rows with consecutive seqs, each chained to the one before, and verifies', async () => {
    const { db } = getStore();
    const first = await appendAudit(db, [row(1), row(2)]);
    const second = await withTransaction(db, (trx) => appendAudit(trx, [row(3)]));
    expect([...first, ...second].map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(second[0]!.prevHash).toBe(first[1]!.hash);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 3 });
    const listed = await listAudit(db, { linkId: 'link-1' });
    expect(listed.map((r) => r.seq)).toEqual([1]);
    expect(listed[0]).toMatchObject({ old: 'name 1', new: { first: 'name 2' }, strategy: 'last-write-wins', at: '2026-03-01T10:00:01.000Z' });
  });

  it('rows of a rolled-back transaction leave no trace in the chain', async () => {
    const { db } = getStore();
    await appendAudit(db, [row(1)]);
    await expect(withTransaction(db, async (trx) => {
      await appendAudit(trx, [row(2)]);
      throw new Error('write failed');
    })).rejects.toThrow('write failed');
    await appendAudit(db, [row(3)]);
    expect((await listAudit(db)).map((r) => [r.seq, r.recordId])).toEqual([[1, 'm1'], [2, 'm3']]);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 2 });
  });

  it('concurrent appenders never chain to the same head', async () => {
    const { db } = getStore();
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(db, [row(i * 2), row(i * 2 + 1)])));
    const rows = await listAudit(db);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verifyAuditChain(db, { pageSize: 7 })).toEqual({ ok: true, rows: 40 });
  });

  it('detects an edited row', async () => {
    const { db } = getStore();
    await appendAudit(db, [row(1), row(2), row(3), row(4)]);
    await db.updateTable('audit').set({ new_value: '"someone else"' }).where('seq', '=', 3).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, seq: 3, reason: 'edited' });
  });

  it('detects an edited row whose hash was recomputed to match', async () => {
    const { db } = getStore();
    await appendAudit(db, [row(1), row(2), row(3)]);
    await db.updateTable('audit').set({ hash: 'f'.repeat(64) }).where('seq', '=', 2).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, seq: 2, reason: 'edited' });
  });

  it('detects a removed row, in the middle and at the end', async () => {
    const { db } = getStore();
    await appendAudit(db, [row(1), row(2), row(3), row(4)]);
    await db.deleteFrom('audit').where('seq', '=', 4).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, seq: 4, reason: 'removed' });
    await db.deleteFrom('audit').where('seq', '=', 2).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, seq: 2, reason: 'removed' });
  });

  it('detects reordered rows', async () => {
    const { db } = getStore();
    await appendAudit(db, [row(1), row(2), row(3), row(4)]);
    await db.updateTable('audit').set({ seq: -2 }).where('seq', '=', 2).execute();
    await db.updateTable('audit').set({ seq: 2 }).where('seq', '=', 3).execute();
    await db.updateTable('audit').set({ seq: 3 }).where('seq', '=', -2).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, seq: 2, reason: 'reordered' });
  });

  it('detects a row added behind appendAudit', async () => {
    const { db } = getStore();
    const [only] = await appendAudit(db, [row(1)]);
    await db.insertInto('audit').values({
      seq: 2, at: '2026-03-01T11:00:00.000Z', pair: 'x', link_id: null, system: 's', object: 'o', record_id: null,
      field: 'f', old_value: null, new_value: '1', reason: 'propagated', strategy: null, batch_id: null, journal_id: null,
      prev_hash: only!.hash, hash: 'a'.repeat(64),
    }).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, seq: 2 });
  });

  it('any single change to any stored column of any row is detected (property)', async () => {
    const { db } = getStore();
    const columns = ['at', 'pair', 'link_id', 'system', 'object', 'record_id', 'field', 'old_value', 'new_value',
      'reason', 'strategy', 'batch_id', 'journal_id', 'prev_hash'] as const;
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 6 }), fc.constantFrom(...columns), fc.string({ minLength: 1, maxLength: 8 }),
      async (seq, column, junk) => {
        await resetAudit(getStore);
        await appendAudit(db, [row(1), row(2), row(3), row(4), row(5), row(6)]);
        const before = await db.selectFrom('audit').select(column).where('seq', '=', seq).executeTakeFirstOrThrow();
        const value = `${String(before[column])}${junk}`;
        await sql`update audit set ${sql.ref(column)} = ${value} where seq = ${seq}`.execute(db);
        const result = await verifyAuditChain(db);
        expect(result.ok).toBe(false);
      },
    ), { numRuns: 20 });
  });
});
