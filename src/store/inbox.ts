import type { Selectable } from 'kysely';
import { asRemoteId, type RemoteId } from '../shared/ids.js';
import type { Db } from './database.js';
import { dialectOf } from './dialect-of.js';
import { fromJsonText, toJsonText } from './json-text.js';
import type { InboxTable } from './tables/intake-tables.js';
import { withTransaction } from './transaction.js';

/** A change to process: a webhook hint or a record found by polling. */
export interface InboxEvent {
  system: string;
  object: string;
  remoteId: string;
  /** The provider's event id (polls make one, e.g. `poll:<id>:<version>`). Same (system, eventId): stored once. */
  eventId: string;
  kind: 'upsert' | 'delete';
  occurredAt?: string;
  fields?: Record<string, unknown>;
}

export interface InboxEntry extends Omit<InboxEvent, 'remoteId'> {
  id: number;
  remoteId: RemoteId;
  receivedAt: string;
  processedAt: string | null;
}

export interface InsertInboxResult {
  /** How many events were new (not stored before, and not repeated earlier in the same call). */
  inserted: number;
  /** Per event of the call, in order: whether this one was stored. */
  isNew: boolean[];
}

/** Stores events, dropping any whose (system, eventId) is already there. */
export async function insertInboxEvents(trx: Db, events: readonly InboxEvent[], now: Date): Promise<InsertInboxResult> {
  const receivedAt = now.toISOString();
  const isNew = events.map(() => false);
  const firstIndex = new Map<string, number>();
  events.forEach((e, i) => {
    const key = dedupKey(e.system, e.eventId);
    if (!firstIndex.has(key)) firstIndex.set(key, i);
  });
  // Inserted in key order: two concurrent transactions holding the same keys then lock them in the same
  // order and wait for each other instead of deadlocking (Postgres).
  const unique = [...firstIndex.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, index]) => index);
  for (let i = 0; i < unique.length; i += 300) {
    const chunk = unique.slice(i, i + 300);
    const stored = await trx.insertInto('inbox')
      .values(chunk.map((index) => {
        const e = events[index]!;
        return {
          system: e.system, object: e.object, remote_id: e.remoteId, event_id: e.eventId, kind: e.kind,
          occurred_at: e.occurredAt ?? null, payload: e.fields === undefined ? null : toJsonText(e.fields),
          received_at: receivedAt, claimed_by: null, claimed_until: null, processed_at: null,
        };
      }))
      .onConflict((oc) => oc.columns(['system', 'event_id']).doNothing())
      .returning(['system', 'event_id'])
      .execute();
    for (const row of stored) isNew[firstIndex.get(dedupKey(row.system, row.event_id))!] = true;
  }
  return { inserted: isNew.filter(Boolean).length, isNew };
}

export interface ClaimOptions {
  /** Who takes the events (process id); shown while they are held. */
  owner: string;
  limit: number;
  /** How long the claim holds before another worker may take the events. */
  claimMs: number;
  now: Date;
}

/**
 * Takes up to `limit` unprocessed events, oldest first, that nobody holds (or whose claim expired).
 * Postgres workers skip each other's rows (SKIP LOCKED); on SQLite the write lock serialises claims.
 */
export async function claimInboxBatch(db: Db, options: ClaimOptions): Promise<InboxEntry[]> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + options.claimMs).toISOString();
  return withTransaction(db, async (trx) => {
    let q = trx.selectFrom('inbox').select('id')
      .where('processed_at', 'is', null)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .orderBy('id').limit(options.limit);
    if (dialectOf(trx) === 'postgres') q = q.forUpdate().skipLocked();
    const ids = (await q.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await trx.updateTable('inbox').set({ claimed_by: options.owner, claimed_until: until })
      .where('id', 'in', ids).returningAll().execute();
    return rows.sort((a, b) => a.id - b.id).map(toInboxEntry);
  });
}

/** Marks events done; they stay (for dedup of late duplicates) until pruned. */
export async function markInboxProcessed(trx: Db, ids: readonly number[], now: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    await trx.updateTable('inbox').set({ processed_at: now.toISOString(), claimed_by: null, claimed_until: null })
      .where('id', 'in', chunk).execute();
  }
}

/** Gives claimed events back (the worker stops without processing them). */
export async function releaseInboxClaims(trx: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('inbox').set({ claimed_by: null, claimed_until: null })
    .where('id', 'in', [...ids]).where('processed_at', 'is', null).execute();
}

/** Unprocessed events (queue depth for status and metrics). */
export async function countPendingInbox(db: Db): Promise<number> {
  const row = await db.selectFrom('inbox').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('processed_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Deletes processed events received before `before`. Keep them at least as long as the webhook
 * timestamp window: until then their event ids are what drops a replayed delivery.
 */
export async function pruneProcessedInbox(trx: Db, before: Date): Promise<number> {
  const res = await trx.deleteFrom('inbox').where('processed_at', 'is not', null)
    .where('received_at', '<', before.toISOString()).executeTakeFirst();
  return Number(res.numDeletedRows);
}

function toInboxEntry(row: Selectable<InboxTable>): InboxEntry {
  const entry: InboxEntry = {
    id: row.id, system: row.system, object: row.object, remoteId: asRemoteId(row.remote_id), eventId: row.event_id,
    kind: row.kind as InboxEvent['kind'], receivedAt: row.received_at, processedAt: row.processed_at,
  };
  if (row.occurred_at !== null) entry.occurredAt = row.occurred_at;
  if (row.payload !== null) entry.fields = fromJsonText(row.payload) as Record<string, unknown>;
  return entry;
}

function dedupKey(system: string, eventId: string): string {
  return `${system}\u0000${eventId}`;
}
