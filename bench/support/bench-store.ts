/**
 * A store of its own for one benchmark: SQLite in a temp directory, or a Postgres database created for the
 * run and dropped after it (`CONCORD_BENCH_PG_URL`, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreDatabase, StoreDialect } from '../../src/store/database.js';
import { openStore } from '../../src/store/migrate.js';

export const benchPgUrl = process.env.CONCORD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchStore {
  store: StoreDatabase;
  /** The `database.url` of this store, for child processes. */
  url: string;
  dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: benchPgUrl, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Why Postgres cannot be used, or undefined when it answers. */
export async function postgresProblem(): Promise<string | undefined> {
  try {
    await adminQuery('select 1');
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  }
}

export async function openBenchStore(dialect: StoreDialect): Promise<BenchStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'concord-bench-'));
    const url = join(dir, 'state.db');
    const store = await openStore(url);
    return { store, url, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `concord_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = withDatabase(benchPgUrl, name);
  const store = await openStore(url, { poolSize: 10 });
  return {
    store,
    url,
    dispose: async () => {
      await store.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
