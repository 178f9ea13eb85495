import type { Selectable } from 'kysely';
import type { Db } from './database.js';
import { createSortableId } from './sortable-id.js';
import type { DeadLettersTable } from './tables/operator-queues-tables.js';

export interface DeadLetter {
  id: string;
  system: string;
  pair: string | null;
  key: string;
  payload: unknown;
  error: string;
  attempts: number;
  createdAt: string;
  lastErrorAt: string;
}

export interface NewDeadLetter {
  system: string;
  pair?: string | null;
  /** What failed; a second failure of the same (system, key) updates the row instead of adding one. */
  key: string;
  payload: unknown;
  error: string;
  /** Attempts made before giving up. */
  attempts: number;
  now: Date;
}

export async function putDeadLetter(trx: Db, input: NewDeadLetter): Promise<DeadLetter> {
  const at = input.now.toISOString();
  const payload = JSON.stringify(input.payload ?? null);
  const row = await trx.insertInto('dead_letters').values({
    id: createSortableId(), system: input.system, pair: input.pair ?? null, key: input.key, payload,
    error: input.error, attempts: input.attempts, created_at: at, last_error_at: at,
  })
    .onConflict((oc) => oc.columns(['system', 'key']).doUpdateSet((eb) => ({
      payload, error: input.error, last_error_at: at,
      attempts: eb(eb.ref('dead_letters.attempts'), '+', input.attempts),
    })))
    .returningAll().executeTakeFirstOrThrow();
  return toDeadLetter(row);
}

/** Oldest first. */
export async function listDeadLetters(db: Db, filter: { system?: string; pair?: string; limit?: number } = {}): Promise<DeadLetter[]> {
  let q = db.selectFrom('dead_letters').selectAll();
  if (filter.system !== undefined) q = q.where('system', '=', filter.system);
  if (filter.pair !== undefined) q = q.where('pair', '=', filter.pair);
  q = q.orderBy('created_at').orderBy('id');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  return (await q.execute()).map(toDeadLetter);
}

export async function getDeadLetter(db: Db, id: string): Promise<DeadLetter | undefined> {
  const row = await db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDeadLetter(row);
}

/**
 * Takes a dead letter out of the queue to be tried again and returns it; re-enqueue its payload in the
 * same transaction, so the work is never in both places or in neither. Undefined when there is no such id.
 */
export async function retryDeadLetter(trx: Db, id: string): Promise<DeadLetter | undefined> {
  const row = await trx.deleteFrom('dead_letters').where('id', '=', id).returningAll().executeTakeFirst();
  return row && toDeadLetter(row);
}

/** Discards a dead letter for good. False when there is no such id. */
export async function dropDeadLetter(trx: Db, id: string): Promise<boolean> {
  const res = await trx.deleteFrom('dead_letters').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Dead letters per system and pair, for status. */
export async function countDeadLetters(db: Db): Promise<Array<{ system: string; pair: string | null; count: number }>> {
  const rows = await db.selectFrom('dead_letters').select(['system', 'pair', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['system', 'pair']).orderBy('system').execute();
  return rows.map((r) => ({ system: r.system, pair: r.pair, count: Number(r.n) }));
}

function toDeadLetter(row: Selectable<DeadLettersTable>): DeadLetter {
  return {
    id: row.id, system: row.system, pair: row.pair, key: row.key, payload: JSON.parse(row.payload) as unknown,
    error: row.error, attempts: Number(row.attempts), createdAt: row.created_at, lastErrorAt: row.last_error_at,
  };
}
