import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('left_id', 'text', (c) => c.notNull())
    .addColumn('right_id', 'text', (c) => c.notNull())
    .addColumn('match_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // A record is linked at most once per pair on each side.
    .addUniqueConstraint('links_pair_left_unique', ['pair', 'left_id'])
    .addUniqueConstraint('links_pair_right_unique', ['pair', 'right_id'])
    .execute();
  await db.schema.createIndex('links_pair_match_key').on('links').columns(['pair', 'match_key']).execute();

  await db.schema
    .createTable('shadows')
    .addColumn('link_id', 'text', (c) => c.notNull().references('links.id').onDelete('cascade'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('base_left', 'text')
    .addColumn('base_right', 'text')
    .addColumn('left_version', 'text')
    .addColumn('right_version', 'text')
    .addColumn('left_changed_at', 'text')
    .addColumn('right_changed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('shadows_pk', ['link_id', 'field'])
    .execute();

  await db.schema
    .createTable('record_shadows')
    .addColumn('link_id', 'text', (c) => c.primaryKey().references('links.id').onDelete('cascade'))
    .addColumn('left_version', 'text')
    .addColumn('left_modified_at', 'text')
    .addColumn('right_version', 'text')
    .addColumn('right_modified_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('record_shadows').execute();
  await db.schema.dropTable('shadows').execute();
  await db.schema.dropTable('links').execute();
}
