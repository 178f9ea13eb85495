import { createSortableId } from './sortable-id.js';
import type { Selectable } from 'kysely';
import { asLinkId, asRemoteId, type LinkId, type RemoteId } from '../shared/ids.js';
import type { Db } from './database.js';
import { statementChunks } from './statement-rows.js';
import type { LinksTable } from './tables/links-tables.js';

export type LinkSide = 'left' | 'right';

export interface Link {
  id: LinkId;
  pair: string;
  leftId: RemoteId;
  rightId: RemoteId;
  matchKey: string | null;
  createdAt: string;
  updatedAt: string;
}

export type UpsertLinkResult =
  | { ok: true; link: Link; isNew: boolean }
  /** One of the two records is already linked to another record of the pair: reported, never relinked silently. */
  | { ok: false; reason: 'left-linked-elsewhere' | 'right-linked-elsewhere'; existing: Link };

export interface NewLink {
  pair: string;
  leftId: string;
  rightId: string;
  matchKey?: string | null;
  now: Date;
}

/** Links two records, or returns the link that already joins exactly these two. */
export async function upsertLink(trx: Db, input: NewLink): Promise<UpsertLinkResult> {
  const now = input.now.toISOString();
  const inserted = await trx
    .insertInto('links')
    .values({
      id: createSortableId(), pair: input.pair, left_id: input.leftId, right_id: input.rightId,
      match_key: input.matchKey ?? null, created_at: now, updated_at: now,
    })
    // Either unique constraint (pair+left, pair+right) may refuse it; then look at what holds the side.
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { ok: true, link: toLink(inserted), isNew: true };

  const byLeft = await findLinkBySide(trx, input.pair, 'left', input.leftId);
  if (byLeft && byLeft.rightId === input.rightId) {
    if (input.matchKey !== undefined && input.matchKey !== byLeft.matchKey) {
      await trx.updateTable('links').set({ match_key: input.matchKey, updated_at: now }).where('id', '=', byLeft.id).execute();
      return { ok: true, link: { ...byLeft, matchKey: input.matchKey, updatedAt: now }, isNew: false };
    }
    return { ok: true, link: byLeft, isNew: false };
  }
  if (byLeft) return { ok: false, reason: 'left-linked-elsewhere', existing: byLeft };
  const byRight = await findLinkBySide(trx, input.pair, 'right', input.rightId);
  if (byRight) return { ok: false, reason: 'right-linked-elsewhere', existing: byRight };
  throw new Error(`link insert for pair ${input.pair} was refused but no conflicting link was found`);
}

/**
 * Links many pairs of records in one statement (per parameter limit's worth), in the order given. Where either record
 * is already linked, or an earlier entry took it, the answer is undefined: `upsertLink` says what holds it.
 */
export async function insertNewLinks(trx: Db, links: readonly NewLink[]): Promise<Array<Link | undefined>> {
  const rows = links.map((l) => ({
    id: createSortableId(), pair: l.pair, left_id: l.leftId, right_id: l.rightId, match_key: l.matchKey ?? null,
    created_at: l.now.toISOString(), updated_at: l.now.toISOString(),
  }));
  const made = new Set<string>();
  for (const chunk of statementChunks(trx, rows, 7)) {
    for (const row of await trx.insertInto('links').values(chunk).onConflict((oc) => oc.doNothing()).returning('id').execute()) made.add(row.id);
  }
  return rows.map((row) => (made.has(row.id) ? toLink(row) : undefined));
}

export async function getLink(db: Db, id: string): Promise<Link | undefined> {
  const row = await db.selectFrom('links').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toLink(row);
}

export async function findLinkBySide(db: Db, pair: string, side: LinkSide, id: string): Promise<Link | undefined> {
  const row = await db.selectFrom('links').selectAll()
    .where('pair', '=', pair).where(side === 'left' ? 'left_id' : 'right_id', '=', id).executeTakeFirst();
  return row && toLink(row);
}

/** Links of many records of one side at once, keyed by that side's id. */
export async function findLinksBySide(db: Db, pair: string, side: LinkSide, ids: readonly string[]): Promise<Map<RemoteId, Link>> {
  const out = new Map<RemoteId, Link>();
  const column = side === 'left' ? 'left_id' : 'right_id';
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db.selectFrom('links').selectAll().where('pair', '=', pair).where(column, 'in', chunk).execute();
    for (const row of rows) out.set(asRemoteId(side === 'left' ? row.left_id : row.right_id), toLink(row));
  }
  return out;
}

/** Links of a pair in id order, a page at a time (`after`: the last id of the previous page). */
export async function listLinks(db: Db, pair: string, page: { after?: string; limit?: number } = {}): Promise<Link[]> {
  let q = db.selectFrom('links').selectAll().where('pair', '=', pair);
  if (page.after !== undefined) q = q.where('id', '>', page.after);
  const rows = await q.orderBy('id').limit(page.limit ?? 1000).execute();
  return rows.map(toLink);
}

/** Points one side of a link at another record (the record was recreated). */
export async function relinkSide(trx: Db, linkId: string, side: LinkSide, id: string, now: Date): Promise<void> {
  await trx.updateTable('links')
    .set(side === 'left' ? { left_id: id, updated_at: now.toISOString() } : { right_id: id, updated_at: now.toISOString() })
    .where('id', '=', linkId).execute();
}

/** Removes a link; its shadows and open conflicts go with it (foreign keys cascade). */
export async function deleteLink(trx: Db, linkId: string): Promise<boolean> {
  const res = await trx.deleteFrom('links').where('id', '=', linkId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export function toLink(row: Selectable<LinksTable>): Link {
  return {
    id: asLinkId(row.id), pair: row.pair, leftId: asRemoteId(row.left_id), rightId: asRemoteId(row.right_id),
    matchKey: row.match_key, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
