import { createSortableId } from './sortable-id.js';
import type { Selectable } from 'kysely';
import { asBatchId, type BatchId } from '../shared/ids.js';
import type { Db } from './database.js';
import { fromJsonText, toJsonText } from './json-text.js';
import type { BatchKind, BatchesTable } from './tables/journal-tables.js';

export type { BatchKind } from './tables/journal-tables.js';

export interface Batch {
  id: BatchId;
  pair: string;
  kind: BatchKind;
  startedAt: string;
  finishedAt: string | null;
  summary: Record<string, unknown> | undefined;
}

export async function startBatch(trx: Db, input: { id?: string; pair: string; kind: BatchKind; now: Date }): Promise<Batch> {
  const row = await trx.insertInto('batches').values({
    id: input.id ?? createSortableId(), pair: input.pair, kind: input.kind, started_at: input.now.toISOString(),
    finished_at: null, summary: null,
  }).returningAll().executeTakeFirstOrThrow();
  return toBatch(row);
}

export async function finishBatch(trx: Db, id: string, input: { summary?: Record<string, unknown>; now: Date }): Promise<void> {
  await trx.updateTable('batches')
    .set({ finished_at: input.now.toISOString(), summary: toJsonText(input.summary) })
    .where('id', '=', id).execute();
}

export async function getBatch(db: Db, id: string): Promise<Batch | undefined> {
  const row = await db.selectFrom('batches').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toBatch(row);
}

/** Newest first. */
export async function listBatches(db: Db, filter: { pair?: string; since?: string; limit?: number } = {}): Promise<Batch[]> {
  let q = db.selectFrom('batches').selectAll();
  if (filter.pair !== undefined) q = q.where('pair', '=', filter.pair);
  if (filter.since !== undefined) q = q.where('started_at', '>=', filter.since);
  return (await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).execute()).map(toBatch);
}

function toBatch(row: Selectable<BatchesTable>): Batch {
  return {
    id: asBatchId(row.id), pair: row.pair, kind: row.kind, startedAt: row.started_at, finishedAt: row.finished_at,
    summary: fromJsonText(row.summary) as Record<string, unknown> | undefined,
  };
}
