import {
  CompiledQuery, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteDialectConfig, type SqliteStatement,
} from 'kysely';

/** Statements kept prepared per connection; the store issues a few dozen distinct shapes, batches vary in size. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 256;

export interface ImmediateSqliteDialectConfig extends SqliteDialectConfig {
  /** Prepared statements kept per connection, keyed by SQL text. 0 turns the cache off. Default is 256. */
  statementCacheSize?: number;
}

/**
 * Kysely's SQLite dialect with transactions that start as writers (`BEGIN IMMEDIATE`) and a cache of
 * prepared statements.
 * Kysely begins with a plain (deferred) `BEGIN`: a transaction that reads and then writes, while another
 * process (a CLI command beside the daemon) committed in between, fails at once with SQLITE_BUSY
 * instead of waiting out busy_timeout. Taking the write lock first makes it wait its turn.
 * Kysely also prepares every query afresh; compiling SQL was about 7% of CPU in an initial sync.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ImmediateSqliteDialectConfig;

  constructor(config: ImmediateSqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    const { statementCacheSize = DEFAULT_STATEMENT_CACHE_SIZE, database, ...rest } = this.#config;
    if (statementCacheSize <= 0) return new ImmediateSqliteDriver(this.#config);
    const cached = typeof database === 'function'
      ? async () => cachingStatements(await database(), statementCacheSize)
      : cachingStatements(database, statementCacheSize);
    return new ImmediateSqliteDriver({ ...rest, database: cached });
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * The database with `prepare` answered from a bounded, least-recently-used cache keyed by SQL text.
 * Reusing a statement is safe here: Kysely's SQLite driver runs one query at a time on its single
 * connection, and SQLite prepares a statement again by itself when the schema changed under it.
 * A statement still busy (a stream left open) is never handed out twice: that SQL gets a fresh one.
 */
export function cachingStatements(database: SqliteDatabase, capacity: number): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => { statements.clear(); database.close(); },
    prepare(sql) {
      const hit = statements.get(sql);
      if (hit && !(hit as { busy?: boolean }).busy) {
        // Map order is insertion order: moving the hit to the end keeps the oldest first for eviction.
        statements.delete(sql);
        statements.set(sql, hit);
        return hit;
      }
      const statement = database.prepare(sql);
      if (hit) return statement;
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
