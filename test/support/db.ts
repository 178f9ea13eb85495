/**
 * One suite, both dialects: `describeEachDialect(name, (getStore) => { ... })` runs the same cases
 * against SQLite (a temp file in WAL mode) and Postgres (a database of its own, created for the test
 * file and dropped after it). Postgres comes from CONCORD_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/test). When it does not answer, the Postgres cases FAIL under CI
 * (process.env.CI set) and are skipped elsewhere, with one line saying why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openStore } from '../../src/store/migrate.js';
import type { StoreDatabase, StoreDialect } from '../../src/store/database.js';

export type GetStore = () => StoreDatabase;

export const testPgUrl = process.env.CONCORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why Postgres cannot be used, or undefined when it answers. Probed once per test file. */
const postgresUnavailable: string | undefined = await probePostgres();
let skipNoticePrinted = false;

export function describeEachDialect(name: string, body: (getStore: GetStore) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    describeOnDialect(dialect, name, body);
  }
}

/** The same for one dialect only, for the rare case that is dialect-specific. */
export function describeOnDialect(dialect: StoreDialect, name: string, body: (getStore: GetStore) => void): void {
  const title = `${name} [${dialect}]`;
  if (dialect === 'postgres' && postgresUnavailable !== undefined) {
    if (process.env.CI) {
      describe(title, () => {
        it('needs Postgres', () => {
          throw new Error(`Postgres is required in CI and did not answer at ${redact(testPgUrl)}: ${postgresUnavailable}`);
        });
      });
      return;
    }
    if (!skipNoticePrinted) {
      skipNoticePrinted = true;
      process.stderr.write(`skipping Postgres cases: ${redact(testPgUrl)} did not answer (${postgresUnavailable}); set CONCORD_TEST_PG_URL\n`);
    }
    describe.skip(title, () => body(() => { throw new Error('Postgres unavailable'); }));
    return;
  }
  describe(title, () => {
    let store: StoreDatabase | undefined;
    let dispose: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const made = dialect === 'sqlite' ? await createSqliteTestStore() : await createPostgresTestStore();
      store = made.store;
      dispose = made.dispose;
    });
    afterAll(async () => {
      await dispose?.();
    });
    body(() => {
      if (!store) throw new Error('the test store is opened in beforeAll; call getStore() inside a test or hook');
      return store;
    });
  });
}

/** A migrated SQLite store in a temp directory, removed by `dispose`. */
export async function createSqliteTestStore(): Promise<{ store: StoreDatabase; dispose: () => Promise<void>; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-test-'));
  const file = join(dir, 'state.db');
  const store = await openStore(file);
  return {
    store,
    file,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A migrated store on a fresh Postgres database of its own, dropped by `dispose`. */
export async function createPostgresTestStore(): Promise<{ store: StoreDatabase; dispose: () => Promise<void>; url: string }> {
  const dbName = `concord_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`create database ${dbName}`));
  const url = withDatabase(testPgUrl, dbName);
  const store = await openStore(url);
  return {
    store,
    url,
    dispose: async () => {
      await store.close();
      await withAdminClient((c) => c.query(`drop database if exists ${dbName} with (force)`));
    },
  };
}

/** An empty (unmigrated) Postgres database for migration tests; `dispose` drops it. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; dispose: () => Promise<void> }> {
  const dbName = `concord_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`create database ${dbName}`));
  return {
    url: withDatabase(testPgUrl, dbName),
    dispose: async () => { await withAdminClient((c) => c.query(`drop database if exists ${dbName} with (force)`)); },
  };
}

export function isPostgresAvailable(): boolean {
  return postgresUnavailable === undefined;
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let client = new pg.Client({ connectionString: testPgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (err) {
    // The named database may not exist on a fresh server; the maintenance database always does.
    if ((err as { code?: string }).code !== '3D000') throw err;
    client = new pg.Client({ connectionString: withDatabase(testPgUrl, 'postgres'), connectionTimeoutMillis: 3000 });
    await client.connect();
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function probePostgres(): Promise<string | undefined> {
  try {
    await withAdminClient((c) => c.query('select 1'));
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  }
}

function withDatabase(url: string, dbName: string): string {
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  return u.toString();
}

function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+):[^@]*@/i, '$1:***@');
}
