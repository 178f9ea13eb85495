import type { Kysely } from 'kysely';
import { sqlIn } from './check-constraints.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['sync', 'apply', 'rollback', 'resolve'])))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('summary', 'text')
    .execute();
  await db.schema.createIndex('batches_pair_started').on('batches').columns(['pair', 'started_at']).execute();

  await db.schema
    .createTable('journal')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('link_id', 'text')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'text')
    .addColumn('op', 'text', (c) => c.notNull().check(sqlIn('op', ['create', 'update', 'delete'])))
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sqlIn('state', ['intent', 'applied', 'failed', 'rolled-back', 'unknown'])))
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('version_before', 'text')
    .addColumn('version_after', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('journal_state').on('journal').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('journal_batch').on('journal').columns(['batch_id', 'created_at']).execute();
  await db.schema.createIndex('journal_link').on('journal').columns(['link_id', 'created_at']).execute();
  await db.schema.createIndex('journal_pair_created').on('journal').columns(['pair', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('journal').execute();
  await db.schema.dropTable('batches').execute();
}
