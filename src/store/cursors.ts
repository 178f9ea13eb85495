import { asCursor, type Cursor } from '../shared/ids.js';
import type { Db } from './database.js';

/** Stores where polling resumes; save it in the same transaction as the page's inbox rows. */
export async function saveCursor(trx: Db, system: string, object: string, cursor: Cursor | string, now: Date): Promise<void> {
  const at = now.toISOString();
  await trx.insertInto('cursors').values({ system, object, cursor, updated_at: at })
    .onConflict((oc) => oc.columns(['system', 'object']).doUpdateSet({ cursor, updated_at: at }))
    .execute();
}

/** The stored cursor, or null: poll from the beginning. */
export async function loadCursor(db: Db, system: string, object: string): Promise<Cursor | null> {
  const row = await db.selectFrom('cursors').select('cursor')
    .where('system', '=', system).where('object', '=', object).executeTakeFirst();
  return row ? asCursor(row.cursor) : null;
}

export async function listCursors(db: Db): Promise<Array<{ system: string; object: string; cursor: Cursor; updatedAt: string }>> {
  const rows = await db.selectFrom('cursors').selectAll().orderBy('system').orderBy('object').execute();
  return rows.map((r) => ({ system: r.system, object: r.object, cursor: asCursor(r.cursor), updatedAt: r.updated_at }));
}

/** Forgets a cursor: the next poll starts from the beginning (a full re-read). */
export async function resetCursor(trx: Db, system: string, object: string): Promise<void> {
  await trx.deleteFrom('cursors').where('system', '=', system).where('object', '=', object).execute();
}
