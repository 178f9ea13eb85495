import { PostgresAdapter } from 'kysely';
import type { Db, StoreDialect } from './database.js';

/** Which dialect a database or transaction speaks, for the few statements that differ. */
export function dialectOf(db: Db): StoreDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
