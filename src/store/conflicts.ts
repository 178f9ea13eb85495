import { sql, type Selectable } from 'kysely';
import { asLinkId, type LinkId } from '../shared/ids.js';
import type { Db } from './database.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { createSortableId } from './sortable-id.js';
import type { ConflictState, ConflictsTable } from './tables/operator-queues-tables.js';

export type { ConflictState } from './tables/operator-queues-tables.js';

export interface Conflict {
  id: string;
  pair: string;
  linkId: LinkId;
  field: string;
  state: ConflictState;
  left: unknown;
  right: unknown;
  base: unknown;
  openedAt: string;
  fallbackDueAt: string | null;
  resolvedAt: string | null;
  resolution: unknown;
}

export interface NewConflict {
  pair: string;
  linkId: string;
  field: string;
  left: unknown;
  right: unknown;
  base: unknown;
  /** When the mapping's fallback applies; omit for none. */
  fallbackDueAt?: Date | string | null;
  now: Date;
}

/**
 * Opens a conflict for a link's field, or refreshes the values of the one already open (the sides may
 * have moved again); `opened_at` and the fallback due time of an open conflict are kept.
 */
export async function openConflict(trx: Db, input: NewConflict): Promise<{ conflict: Conflict; isNew: boolean }> {
  const values = {
    left_value: toJsonText(input.left), right_value: toJsonText(input.right), base_value: toJsonText(input.base),
  };
  const inserted = await trx.insertInto('conflicts').values({
    id: createSortableId(), pair: input.pair, link_id: input.linkId, field: input.field, state: 'open', ...values,
    opened_at: input.now.toISOString(),
    fallback_due_at: input.fallbackDueAt == null ? null : new Date(input.fallbackDueAt).toISOString(),
    resolved_at: null, resolution: null,
  })
    // The target names the partial unique index; SQLite matches it only when the predicate is the same literal text.
    .onConflict((oc) => oc.columns(['link_id', 'field']).where('state', '=', sql.lit('open')).doNothing())
    .returningAll().executeTakeFirst();
  if (inserted) return { conflict: toConflict(inserted), isNew: true };
  const updated = await trx.updateTable('conflicts').set(values)
    .where('link_id', '=', input.linkId).where('field', '=', input.field).where('state', '=', 'open')
    .returningAll().executeTakeFirstOrThrow();
  return { conflict: toConflict(updated), isNew: false };
}

export type ResolveConflictResult =
  | { ok: true; conflict: Conflict }
  | { ok: false; reason: 'not-found' | 'already-resolved'; conflict?: Conflict };

/** Closes an open conflict with how it was settled (`{ take: 'left' }`, a value, the fallback used). */
export async function resolveConflict(trx: Db, id: string, input: { resolution: unknown; now: Date }): Promise<ResolveConflictResult> {
  const updated = await trx.updateTable('conflicts')
    .set({ state: 'resolved', resolved_at: input.now.toISOString(), resolution: toJsonText(input.resolution) ?? 'null' })
    .where('id', '=', id).where('state', '=', 'open').returningAll().executeTakeFirst();
  if (updated) return { ok: true, conflict: toConflict(updated) };
  const existing = await getConflict(trx, id);
  return existing ? { ok: false, reason: 'already-resolved', conflict: existing } : { ok: false, reason: 'not-found' };
}

export async function getConflict(db: Db, id: string): Promise<Conflict | undefined> {
  const row = await db.selectFrom('conflicts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toConflict(row);
}

/** Oldest first. */
export async function listConflicts(
  db: Db, filter: { state?: ConflictState; pair?: string; linkId?: string; limit?: number } = {},
): Promise<Conflict[]> {
  let q = db.selectFrom('conflicts').selectAll();
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  if (filter.pair !== undefined) q = q.where('pair', '=', filter.pair);
  if (filter.linkId !== undefined) q = q.where('link_id', '=', filter.linkId);
  q = q.orderBy('opened_at').orderBy('id');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return (await q.execute()).map(toConflict);
}

/** Open conflicts whose fallback is due at `now`: the runtime applies the fallback strategy to them. */
export async function listDueConflictFallbacks(db: Db, now: Date): Promise<Conflict[]> {
  const rows = await db.selectFrom('conflicts').selectAll().where('state', '=', 'open')
    .where('fallback_due_at', 'is not', null).where('fallback_due_at', '<=', now.toISOString())
    .orderBy('fallback_due_at').execute();
  return rows.map(toConflict);
}

/** Open conflicts per pair, for status. */
export async function countOpenConflicts(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('conflicts').select(['pair', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', '=', 'open').groupBy('pair').execute();
  return new Map(rows.map((r) => [r.pair, Number(r.n)]));
}

function toConflict(row: Selectable<ConflictsTable>): Conflict {
  return {
    id: row.id, pair: row.pair, linkId: asLinkId(row.link_id), field: row.field, state: row.state,
    left: fromJsonText(row.left_value), right: fromJsonText(row.right_value), base: fromJsonText(row.base_value),
    openedAt: row.opened_at, fallbackDueAt: row.fallback_due_at, resolvedAt: row.resolved_at,
    resolution: fromJsonText(row.resolution),
  };
}
