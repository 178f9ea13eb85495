import { createSortableId } from './sortable-id.js';
import type { Selectable } from 'kysely';
import { asBatchId, asLinkId, asRemoteId, type BatchId, type LinkId, type RemoteId } from '../shared/ids.js';
import type { Db } from './database.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { statementChunks } from './statement-rows.js';
import type { JournalOp, JournalState, JournalTable } from './tables/journal-tables.js';

export type { JournalOp, JournalState } from './tables/journal-tables.js';

export interface JournalEntry {
  id: string;
  batchId: BatchId;
  pair: string;
  linkId: LinkId | null;
  system: string;
  object: string;
  remoteId: RemoteId | null;
  op: JournalOp;
  state: JournalState;
  /** Field values before the write (undefined for a create). */
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
  versionBefore: string | null;
  versionAfter: string | null;
  idempotencyKey: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewIntent {
  id?: string;
  batchId: string;
  pair: string;
  linkId?: string | null;
  system: string;
  object: string;
  remoteId?: string | null;
  op: JournalOp;
  before?: Record<string, unknown>;
  /** The values the write means to set: recovery compares them with what the target holds. */
  after?: Record<string, unknown>;
  versionBefore?: string | null;
  idempotencyKey: string;
  now: Date;
}

/**
 * Records a write before it goes out. The idempotency key is unique: recording the same intent again
 * (a retry, a restart) returns the row already there with `isNew: false`, whatever its state.
 */
export async function recordIntent(trx: Db, intent: NewIntent): Promise<{ entry: JournalEntry; isNew: boolean }> {
  const at = intent.now.toISOString();
  const inserted = await trx.insertInto('journal').values({
    id: intent.id ?? createSortableId(), batch_id: intent.batchId, pair: intent.pair, link_id: intent.linkId ?? null,
    system: intent.system, object: intent.object, remote_id: intent.remoteId ?? null, op: intent.op, state: 'intent',
    before_json: toJsonText(intent.before), after_json: toJsonText(intent.after),
    version_before: intent.versionBefore ?? null, version_after: null, idempotency_key: intent.idempotencyKey,
    error: null, created_at: at, updated_at: at,
  })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll().executeTakeFirst();
  if (inserted) return { entry: toJournalEntry(inserted), isNew: true };
  const existing = await findJournalByIdempotencyKey(trx, intent.idempotencyKey);
  if (!existing) throw new Error(`journal insert for key ${intent.idempotencyKey} was refused but no row holds the key`);
  return { entry: existing, isNew: false };
}

/**
 * `recordIntent` for many writes in a few statements: one multi-row insert (per parameter limit's worth) and, for
 * keys already held, one read. Entries come back in the order given.
 */
export async function recordIntents(trx: Db, intents: readonly NewIntent[]): Promise<Array<{ entry: JournalEntry; isNew: boolean }>> {
  const inserted = new Map<string, JournalEntry>();
  const rows = intents.map((intent) => {
    const at = intent.now.toISOString();
    return {
      id: intent.id ?? createSortableId(), batch_id: intent.batchId, pair: intent.pair, link_id: intent.linkId ?? null,
      system: intent.system, object: intent.object, remote_id: intent.remoteId ?? null, op: intent.op, state: 'intent' as const,
      before_json: toJsonText(intent.before), after_json: toJsonText(intent.after),
      version_before: intent.versionBefore ?? null, version_after: null, idempotency_key: intent.idempotencyKey,
      error: null, created_at: at, updated_at: at,
    };
  });
  for (const chunk of statementChunks(trx, rows, JOURNAL_COLUMNS)) {
    const back = await trx.insertInto('journal').values(chunk)
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returningAll().execute();
    for (const row of back) inserted.set(row.idempotency_key, toJournalEntry(row));
  }
  const held = new Map<string, JournalEntry>();
  const missing = [...new Set(intents.map((i) => i.idempotencyKey).filter((k) => !inserted.has(k)))];
  for (let i = 0; i < missing.length; i += 500) {
    const found = await trx.selectFrom('journal').selectAll().where('idempotency_key', 'in', missing.slice(i, i + 500)).execute();
    for (const row of found) held.set(row.idempotency_key, toJournalEntry(row));
  }
  const seen = new Set<string>();
  return intents.map((intent) => {
    const key = intent.idempotencyKey;
    const entry = inserted.get(key) ?? held.get(key);
    if (!entry) throw new Error(`journal insert for key ${key} was refused but no row holds the key`);
    // A key given twice is new the first time only.
    const isNew = inserted.has(key) && !seen.has(key);
    seen.add(key);
    return { entry, isNew };
  });
}

export interface JournalOutcome {
  state: Exclude<JournalState, 'intent'>;
  after?: Record<string, unknown>;
  versionAfter?: string | null;
  /** The id a create got. */
  remoteId?: string;
  linkId?: string;
  error?: string | null;
  now: Date;
}

/** Stores how a write ended. Returns false when no such entry exists. */
export async function completeJournal(trx: Db, id: string, outcome: JournalOutcome): Promise<boolean> {
  const set: Partial<Selectable<JournalTable>> = { state: outcome.state, updated_at: outcome.now.toISOString() };
  if (outcome.after !== undefined) set.after_json = toJsonText(outcome.after);
  if (outcome.versionAfter !== undefined) set.version_after = outcome.versionAfter;
  if (outcome.remoteId !== undefined) set.remote_id = outcome.remoteId;
  if (outcome.linkId !== undefined) set.link_id = outcome.linkId;
  if (outcome.error !== undefined) set.error = outcome.error;
  const res = await trx.updateTable('journal').set(set).where('id', '=', id).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export interface JournalCompletion extends Omit<JournalOutcome, 'after'> {
  id: string;
  /** The new `after`, or how to make it from the one stored. */
  after?: Record<string, unknown> | ((stored: Record<string, unknown> | undefined) => Record<string, unknown>);
}

/** Values per journal row in an insert: its 16 columns. */
const JOURNAL_COLUMNS = 16;

/**
 * Stores how many writes ended, in two statements per few thousand entries whatever their count: the rows are read
 * in one query and written back in one upsert on their id. Entries completed twice take the later outcome over the
 * earlier; ids without a row are skipped.
 */
export async function completeJournals(trx: Db, completions: readonly JournalCompletion[]): Promise<void> {
  const ids = [...new Set(completions.map((c) => c.id))];
  const rows = new Map<string, Selectable<JournalTable>>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const row of await trx.selectFrom('journal').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute()) rows.set(row.id, row);
  }
  for (const c of completions) {
    const row = rows.get(c.id);
    if (!row) continue;
    const next = { ...row, state: c.state, updated_at: c.now.toISOString() };
    if (c.after !== undefined) {
      const after = typeof c.after === 'function' ? c.after(fromJsonText(row.after_json) as Record<string, unknown> | undefined) : c.after;
      next.after_json = toJsonText(after);
    }
    if (c.versionAfter !== undefined) next.version_after = c.versionAfter;
    if (c.remoteId !== undefined) next.remote_id = c.remoteId;
    if (c.linkId !== undefined) next.link_id = c.linkId;
    if (c.error !== undefined) next.error = c.error;
    rows.set(c.id, next);
  }
  for (const chunk of statementChunks(trx, [...rows.values()], JOURNAL_COLUMNS)) {
    await trx.insertInto('journal').values(chunk)
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
        state: eb.ref('excluded.state'), after_json: eb.ref('excluded.after_json'), version_after: eb.ref('excluded.version_after'),
        remote_id: eb.ref('excluded.remote_id'), link_id: eb.ref('excluded.link_id'), error: eb.ref('excluded.error'),
        updated_at: eb.ref('excluded.updated_at'),
      })))
      .execute();
  }
}

/** Intents without an outcome, oldest first: what recovery resolves on start. */
export async function listUnresolvedIntents(db: Db, filter: { pair?: string } = {}): Promise<JournalEntry[]> {
  let q = db.selectFrom('journal').selectAll().where('state', '=', 'intent');
  if (filter.pair !== undefined) q = q.where('pair', '=', filter.pair);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toJournalEntry);
}

export async function getJournalEntry(db: Db, id: string): Promise<JournalEntry | undefined> {
  const row = await db.selectFrom('journal').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toJournalEntry(row);
}

export async function findJournalByIdempotencyKey(db: Db, key: string): Promise<JournalEntry | undefined> {
  const row = await db.selectFrom('journal').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && toJournalEntry(row);
}

export interface JournalFilter {
  batchId?: string;
  linkId?: string;
  pair?: string;
  states?: JournalState[];
  /** created_at >= since (ISO-8601). */
  since?: string;
  until?: string;
}

/** Entries in the order they were written (rollback walks them backwards). */
export async function listJournal(db: Db, filter: JournalFilter = {}): Promise<JournalEntry[]> {
  let q = db.selectFrom('journal').selectAll();
  if (filter.batchId !== undefined) q = q.where('batch_id', '=', filter.batchId);
  if (filter.linkId !== undefined) q = q.where('link_id', '=', filter.linkId);
  if (filter.pair !== undefined) q = q.where('pair', '=', filter.pair);
  if (filter.states !== undefined && filter.states.length > 0) q = q.where('state', 'in', filter.states);
  if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('created_at', '<', filter.until);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toJournalEntry);
}

function toJournalEntry(row: Selectable<JournalTable>): JournalEntry {
  return {
    id: row.id, batchId: asBatchId(row.batch_id), pair: row.pair,
    linkId: row.link_id === null ? null : asLinkId(row.link_id), system: row.system, object: row.object,
    remoteId: row.remote_id === null ? null : asRemoteId(row.remote_id), op: row.op, state: row.state,
    before: fromJsonText(row.before_json) as Record<string, unknown> | undefined,
    after: fromJsonText(row.after_json) as Record<string, unknown> | undefined,
    versionBefore: row.version_before, versionAfter: row.version_after, idempotencyKey: row.idempotency_key,
    error: row.error, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}
