import { sql, type Kysely } from 'kysely';
import { sqlIn } from './check-constraints.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('link_id', 'text', (c) => c.notNull().references('links.id').onDelete('cascade'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sqlIn('state', ['open', 'resolved'])))
    .addColumn('left_value', 'text')
    .addColumn('right_value', 'text')
    .addColumn('base_value', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('fallback_due_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .execute();
  // One open conflict per link and field; resolved ones are history.
  await db.schema.createIndex('conflicts_open_unique').on('conflicts').columns(['link_id', 'field']).unique()
    .where(sql.ref('state'), '=', 'open').execute();
  await db.schema.createIndex('conflicts_state_pair').on('conflicts').columns(['state', 'pair', 'opened_at']).execute();
  await db.schema.createIndex('conflicts_fallback_due').on('conflicts').columns(['state', 'fallback_due_at']).execute();

  await db.schema
    .createTable('dead_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('pair', 'text')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_error_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('dead_letters_system_key_unique', ['system', 'key'])
    .execute();
  await db.schema.createIndex('dead_letters_created').on('dead_letters').columns(['created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dead_letters').execute();
  await db.schema.dropTable('conflicts').execute();
}
