import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { ConcordError } from '../shared/errors/index.js';
import { parseDatabaseUrl, redactDatabaseUrl } from './database-url.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import type { Database } from './tables/database.js';

export type { Database } from './tables/database.js';
export type StoreDialect = 'sqlite' | 'postgres';

/** What repository functions take first: the database or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>;

export interface StoreDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** The URL with its password hidden, for messages. */
  readonly displayUrl: string;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** How long SQLite waits for another process's write lock. Default is 5000 ms. */
  busyTimeoutMs?: number;
  /** Most Postgres connections in the pool. Default is 10. */
  poolSize?: number;
}

/**
 * Opens the state database named by `database.url` (see `parseDatabaseUrl`). SQLite runs in WAL mode
 * with NORMAL sync: a commit is durable once in the WAL, readers never block the writer. Nothing is
 * migrated here; `openStore` does that.
 */
export function createDatabase(url: string, options: CreateDatabaseOptions = {}): StoreDatabase {
  const target = parseDatabaseUrl(url);
  const displayUrl = redactDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    const sqlite = openSqlite(target.file, options.busyTimeoutMs ?? 5000, displayUrl);
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', displayUrl, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    // int8 (count(*), bigint) comes back as a number, as it does from SQLite; values stay far below 2^53.
    types: { getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text') },
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', displayUrl, close: () => db.destroy() };
}

function openSqlite(file: string, busyTimeoutMs: number, displayUrl: string): BetterSqlite3.Database {
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new BetterSqlite3(file, { timeout: busyTimeoutMs });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    return sqlite;
  } catch (cause) {
    throw new ConcordError(
      'CONCORD_ERR_STORE_CONNECT_FAILED',
      `database.url: could not open SQLite database "${displayUrl}": ${(cause as Error).message}. ` +
        'Expected a writable file path (its directory is created when missing).',
      { url: displayUrl },
      { cause },
    );
  }
}
