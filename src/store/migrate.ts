import { Migrator, type MigrationProvider, type MigrationResult, type Migration, type Kysely } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { ConcordError, isConcordError } from '../shared/errors/index.js';
import { createDatabase, type CreateDatabaseOptions, type StoreDatabase } from './database.js';
import type { Database } from './tables/database.js';

const staticProvider: MigrationProvider = {
  getMigrations: async (): Promise<Record<string, Migration>> => ({ ...migrations }),
};

export interface MigrateReport {
  /** Migrations applied by this call, in order; empty when the schema was already current. */
  applied: string[];
  /** Every migration the database now has. */
  current: string[];
}

/**
 * Brings the schema to the latest migration. Safe to run from several processes at once: Kysely's
 * migrator takes a lock table (and on Postgres runs each migration in a transaction).
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrateReport> {
  const migrator = new Migrator({ db, provider: staticProvider });
  let outcome: { error?: unknown; results?: MigrationResult[] };
  try {
    outcome = await migrator.migrateToLatest();
  } catch (cause) {
    throw migrationError(cause);
  }
  if (outcome.error !== undefined) throw migrationError(outcome.error, outcome.results);
  const applied = (outcome.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return { applied, current: Object.keys(migrations).sort() };
}

/** Opens the store and migrates it: what the daemon and every command do at start. */
export async function openStore(url: string, options: CreateDatabaseOptions = {}): Promise<StoreDatabase & MigrateReport> {
  const store = createDatabase(url, options);
  try {
    const report = await migrateToLatest(store.db);
    return { ...store, ...report };
  } catch (err) {
    await store.close().catch(() => {});
    if (isConcordError(err) && err.code === 'CONCORD_ERR_STORE_MIGRATION_FAILED' && isConnectionFailure(err.cause)) {
      throw new ConcordError(
        'CONCORD_ERR_STORE_CONNECT_FAILED',
        `database.url: could not connect to "${store.displayUrl}": ${(err.cause as Error).message}. ` +
          'Expected a reachable database that the configured user may use.',
        { url: store.displayUrl },
        { cause: err.cause },
      );
    }
    throw err;
  }
}

function migrationError(cause: unknown, results: MigrationResult[] = []): ConcordError {
  const message = cause instanceof Error ? cause.message : String(cause);
  // Kysely's wording when the database holds a migration this build does not know.
  if (/corrupted migrations: .* missing/i.test(message)) {
    return new ConcordError(
      'CONCORD_ERR_STORE_SCHEMA_NEWER',
      `database schema: expected only migrations this version knows (${Object.keys(migrations).join(', ')}), ` +
        `found others: ${message}. Allowed: run the Concord version that migrated it, or a newer one.`,
      {},
      { cause },
    );
  }
  const failed = results.find((r) => r.status === 'Error')?.migrationName;
  return new ConcordError(
    'CONCORD_ERR_STORE_MIGRATION_FAILED',
    `database schema: migration ${failed ?? '(before the first migration)'} failed: ${message}. ` +
      'Expected every migration to apply; the database stays at the last migration that succeeded.',
    { migration: failed },
    { cause },
  );
}

function isConnectionFailure(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const message = cause instanceof Error ? cause.message : '';
  return (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|28P01|28000|3D000)$/.test(code)) ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}
