import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * Kysely's SQLite dialect with transactions that start as writers (`BEGIN IMMEDIATE`).
 * Kysely begins with a plain (deferred) `BEGIN`: a transaction that reads and then writes, while another
 * process (a CLI command beside the daemon) committed in between, fails at once with SQLITE_BUSY
 * instead of waiting out busy_timeout. Taking the write lock first makes it wait its turn.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
