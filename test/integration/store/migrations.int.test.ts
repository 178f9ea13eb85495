import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { createDatabase } from '../../../src/store/database.js';
import { migrateToLatest, openStore } from '../../../src/store/migrate.js';
import { createEmptyPostgresDatabase, createSqliteTestStore, describeEachDialect, isPostgresAvailable } from '../../support/db.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tables = ['audit', 'audit_head', 'batches', 'conflicts', 'cursors', 'dead_letters', 'inbox', 'journal', 'leases',
  'links', 'pair_state', 'record_shadows', 'shadows', 'tokens'];

describeEachDialect('migrations', (getStore) => {
  it('creates every table of the state schema', async () => {
    const { db } = getStore();
    const found = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('kysely_'));
    expect(found.sort()).toEqual(tables);
  });

  it('running them again applies nothing and keeps the data', async () => {
    const { db } = getStore();
    await db.insertInto('cursors').values({ system: 'hubspot', object: 'contacts', cursor: 'c1', updated_at: '2026-01-01T00:00:00.000Z' }).execute();
    const again = await migrateToLatest(db);
    expect(again.applied).toEqual([]);
    expect(again.current).toEqual(Object.keys(migrations).sort());
    const rows = await db.selectFrom('cursors').selectAll().execute();
    expect(rows).toHaveLength(1);
  });
});

describe('migrations from an empty database', () => {
  it('apply every migration in order on SQLite, and SQLite runs in WAL mode with foreign keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-mig-'));
    try {
      const store = await openStore(join(dir, 'sub', 'state.db'));
      expect(store.applied).toEqual(Object.keys(migrations).sort());
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(isPostgresAvailable() || process.env.CI)('apply every migration in order on Postgres', async () => {
    const empty = await createEmptyPostgresDatabase();
    try {
      const store = await openStore(empty.url);
      expect(store.dialect).toBe('postgres');
      expect(store.applied).toEqual(Object.keys(migrations).sort());
      await store.close();
    } finally {
      await empty.dispose();
    }
  });

  it('refuse a database migrated by a newer version, with a coded error', async () => {
    const made = await createSqliteTestStore();
    try {
      await made.store.db.insertInto('kysely_migration' as never).values({ name: '9999-from-the-future', timestamp: '2030-01-01T00:00:00.000Z' } as never).execute();
      await expect(migrateToLatest(made.store.db)).rejects.toMatchObject({ code: 'CONCORD_ERR_STORE_SCHEMA_NEWER' });
    } finally {
      await made.dispose();
    }
  });

  it('report an unreachable Postgres as a connection failure naming the URL without its password', async () => {
    const err = await openStore('postgres://concord:hunter2@127.0.0.1:1/none').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONCORD_ERR_STORE_CONNECT_FAILED' });
    expect((err as Error).message).toContain('postgres://concord:***@127.0.0.1:1/none');
    expect((err as Error).message).not.toContain('hunter2');
  });

  it.runIf(isPostgresAvailable() || process.env.CI)('report a Postgres database that does not exist as a connection failure', async () => {
    const url = new URL(process.env.CONCORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    url.pathname = '/concord_no_such_database';
    const err = await openStore(url.toString()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONCORD_ERR_STORE_CONNECT_FAILED' });
    expect((err as Error).message).toContain('concord_no_such_database');
  });

  it('refuse a URL of another scheme instead of taking it for a file name', () => {
    expect(() => createDatabase('mysql://root@localhost/concord')).toThrow(expect.objectContaining({ code: 'CONCORD_ERR_STORE_URL_INVALID' }));
  });
});
