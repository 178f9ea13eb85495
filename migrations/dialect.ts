import { PostgresAdapter, type Kysely } from 'kysely';

/** Migrations are one set for both dialects; the few column kinds that differ ask this. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
