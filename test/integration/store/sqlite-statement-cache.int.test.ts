import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ImmediateSqliteDialect } from '../../../src/store/sqlite-dialect.js';

interface Tables { item: { id: number; name: string } }

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** A real SQLite file; `prepared` lists every SQL text the database itself was asked to prepare. */
async function open(statementCacheSize?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'concord-stmt-cache-'));
  const sqlite = new BetterSqlite3(join(dir, 'state.db'));
  const prepared: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  const counted = Object.assign(Object.create(sqlite) as BetterSqlite3.Database, {
    prepare: (text: string) => { prepared.push(text); return prepare(text); },
    close: () => sqlite.close(),
  });
  const db = new Kysely<Tables>({
    dialect: new ImmediateSqliteDialect({ database: counted, ...(statementCacheSize !== undefined ? { statementCacheSize } : {}) }),
  });
  cleanups.push(async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); });
  await db.schema.createTable('item').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text', (c) => c.notNull()).execute();
  await db.insertInto('item').values(Array.from({ length: 10 }, (_, i) => ({ id: i + 1, name: `n${i + 1}` }))).execute();
  return { db, prepared, sqlite };
}

const byId = (db: Kysely<Tables>, id: number) => db.selectFrom('item').select(['id', 'name']).where('id', '=', id).executeTakeFirst();

describe('SQLite statement cache', () => {
  it('prepares a query once and answers each run with its own parameters', async () => {
    const { db, prepared } = await open();
    for (let id = 1; id <= 10; id++) expect(await byId(db, id)).toEqual({ id, name: `n${id}` });
    const text = prepared.filter((s) => s.startsWith('select "id", "name" from "item"'));
    expect(text).toHaveLength(1);
  });

  it('answers a cached select * with the columns the table has after it changed', async () => {
    const { db } = await open();
    const all = () => db.selectFrom('item').selectAll().where('id', '=', 1).executeTakeFirst();
    expect(await all()).toEqual({ id: 1, name: 'n1' });
    await sql`alter table item add column note text default 'x'`.execute(db);
    expect(await all()).toEqual({ id: 1, name: 'n1', note: 'x' });
  });

  it('keeps at most its capacity: the least recently used statement is prepared again', async () => {
    const { db, prepared } = await open(3);
    const shape = (n: number) => db.selectFrom('item').select(sql<number>`${sql.lit(n)}`.as('k')).where('id', '=', 1).executeTakeFirst();
    for (const n of [1, 2, 3]) expect(await shape(n)).toEqual({ k: n });
    expect(await shape(1)).toEqual({ k: 1 });
    const before = prepared.length;
    expect(await shape(4)).toEqual({ k: 4 }); // evicts 2, the least recently used
    expect(await shape(1)).toEqual({ k: 1 });
    expect(prepared.length).toBe(before + 1);
    expect(await shape(2)).toEqual({ k: 2 });
    expect(prepared.length).toBe(before + 2);
  });

  it('runs a query in full after a stream of the same query was left part-way', async () => {
    const { db } = await open();
    const query = db.selectFrom('item').select('id').where('id', '>', 0).orderBy('id');
    for await (const row of query.stream()) { if (row.id === 3) break; }
    expect((await query.execute()).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const seen: number[] = [];
    for await (const row of query.stream()) seen.push(row.id);
    expect(seen).toHaveLength(10);
  });

  it('prepares every query afresh when the cache is off', async () => {
    const { db, prepared } = await open(0);
    await byId(db, 1);
    await byId(db, 2);
    expect(prepared.filter((s) => s.startsWith('select "id", "name" from "item"'))).toHaveLength(2);
  });
});
