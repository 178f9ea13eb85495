import type { Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cursors')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cursors_pk', ['system', 'object'])
    .execute();

  await db.schema
    .createTable('inbox')
    // An increasing id keeps arrival order, which text ids would not.
    .addColumn('id', isPostgres(db) ? 'bigint' : 'integer', (c) =>
      isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('remote_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text')
    .addColumn('payload', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('processed_at', 'text')
    // Providers deliver at least once: the same event id is stored once.
    .addUniqueConstraint('inbox_system_event_unique', ['system', 'event_id'])
    .execute();
  await db.schema.createIndex('inbox_pending').on('inbox').columns(['processed_at', 'id']).execute();
  await db.schema.createIndex('inbox_record').on('inbox').columns(['system', 'object', 'remote_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inbox').execute();
  await db.schema.dropTable('cursors').execute();
}
