/**
 * Manual conflicts as rows of the `conflicts` table: at most one open conflict per link and field (a unique
 * index), so opening one that is already open returns the open one.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { asLinkId, type LinkId } from '../../shared/ids.js';
import type { Db } from '../../store/database.js';
import { fromJsonText, toJsonText } from '../../store/json-text.js';
import type { ConflictsTable } from '../../store/tables/operator-queues-tables.js';
import type { ConflictRecord, ConflictState } from './engine-store.js';

function toConflict(r: Selectable<ConflictsTable>): ConflictRecord {
  return {
    id: r.id, pair: r.pair, linkId: asLinkId(r.link_id), field: r.field, state: r.state,
    left: fromJsonText(r.left_value), right: fromJsonText(r.right_value), base: fromJsonText(r.base_value),
    openedAt: r.opened_at, resolvedAt: r.resolved_at, resolution: r.resolution === null ? null : String(fromJsonText(r.resolution)),
    fallbackDueAt: r.fallback_due_at,
  };
}

export async function insertConflict(db: Db, c: Omit<ConflictRecord, 'id' | 'state' | 'resolvedAt' | 'resolution'>): Promise<ConflictRecord> {
  const open = await db.selectFrom('conflicts').selectAll()
    .where('link_id', '=', c.linkId).where('field', '=', c.field).where('state', '=', 'open').executeTakeFirst();
  if (open) return toConflict(open);
  const row = await db.insertInto('conflicts').values({
    id: randomUUID(), pair: c.pair, link_id: c.linkId, field: c.field, state: 'open',
    left_value: toJsonText(c.left), right_value: toJsonText(c.right), base_value: toJsonText(c.base),
    opened_at: c.openedAt, fallback_due_at: c.fallbackDueAt, resolved_at: null, resolution: null,
  }).returningAll().executeTakeFirstOrThrow();
  return toConflict(row);
}

export async function getConflict(db: Db, id: string): Promise<ConflictRecord | undefined> {
  const row = await db.selectFrom('conflicts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toConflict(row);
}

export async function listConflicts(db: Db, f: { pair?: string; linkId?: LinkId; state?: ConflictState }): Promise<ConflictRecord[]> {
  let q = db.selectFrom('conflicts').selectAll();
  if (f.pair !== undefined) q = q.where('pair', '=', f.pair);
  if (f.linkId !== undefined) q = q.where('link_id', '=', f.linkId);
  if (f.state !== undefined) q = q.where('state', '=', f.state);
  return (await q.orderBy('opened_at').orderBy('id').execute()).map(toConflict);
}

export async function closeConflict(db: Db, id: string, resolution: string, at: string): Promise<void> {
  await db.updateTable('conflicts').set({ state: 'resolved', resolved_at: at, resolution: toJsonText(resolution) })
    .where('id', '=', id).execute();
}
