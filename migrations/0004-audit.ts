import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit')
    // Given by appendAudit under a lock: 1, 2, 3, ... without gaps.
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('link_id', 'text')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text')
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('strategy', 'text')
    .addColumn('batch_id', 'text')
    .addColumn('journal_id', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex('audit_pair_at').on('audit').columns(['pair', 'at']).execute();
  await db.schema.createIndex('audit_link').on('audit').columns(['link_id', 'seq']).execute();
  await db.schema.createIndex('audit_batch').on('audit').columns(['batch_id', 'seq']).execute();
  await db.schema.createIndex('audit_record_field').on('audit').columns(['system', 'object', 'record_id', 'field']).execute();
  await db.schema.createIndex('audit_prev_hash').on('audit').column('prev_hash').execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  // The chain starts from a known head: 64 zeros, the prev_hash of row 1.
  await db.insertInto('audit_head' as never).values({ id: 1, seq: 0, hash: '0'.repeat(64) } as never).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_head').execute();
  await db.schema.dropTable('audit').execute();
}
