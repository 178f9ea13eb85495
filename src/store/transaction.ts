import type { Transaction } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './tables/database.js';

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one (Kysely has no nested
 * transactions). On SQLite every query of the process goes through one connection: inside `fn`, use
 * `trx` only, never the outer `db`, or the query waits for the transaction that waits for it.
 */
export async function withTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}
