/**
 * Links straight into the store, for sizes no emulator needs to hold (1,000,000 links), each with the record
 * shadow the engine keeps once both sides agreed (both sides' versions and modification times): the poll
 * reads it for every record of a page, so without it the table would be near empty and its plan and cost
 * would say nothing about a store that size. Field shadows (the per-field base) are left out: they are read
 * only for links the consumer works on, which are the emulators' real records with real shadows, and on
 * Postgres seven more rows per link took minutes to insert per million links on this machine.
 */
import { sql } from 'kysely';
import type { Db, StoreDialect } from '../../src/store/database.js';

/** Links per round of statements: big enough to be quick, small enough to let the event loop breathe. */
const CHUNK = 50_000;

export interface SeedLinksOptions {
  pair: string;
  /** Links `from`..`to`-1 are added; ids, record ids and values derive from the number. */
  from: number;
  to: number;
}

export async function seedLinks(db: Db, dialect: StoreDialect, options: SeedLinksOptions): Promise<void> {
  const now = new Date().toISOString();
  for (let lo = options.from; lo < options.to; lo += CHUNK) {
    const hi = Math.min(lo + CHUNK, options.to);
    if (dialect === 'postgres') await seedChunkPostgres(db, options, lo, hi, now);
    else await seedChunkSqlite(db, options, lo, hi, now);
    // SQLite runs synchronously: a long seed would starve timers and sockets of the emulators in this process.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (dialect === 'postgres') {
    // As a store grown over months would be: vacuumed and analysed, its writes checkpointed. Otherwise
    // autovacuum and the checkpointer work through the bulk load during the measurements that follow.
    await sql`vacuum (analyze) links, record_shadows`.execute(db);
    await sql`checkpoint`.execute(db);
  } else {
    // A sampled ANALYZE: the planner needs the shape of the indexes, not an exact count of millions of rows.
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`analyze`.execute(db);
  }
}

async function seedChunkPostgres(db: Db, o: SeedLinksOptions, lo: number, hi: number, now: string): Promise<void> {
  const series = sql`generate_series(${lo}::int, ${hi - 1}::int) as i`;
  const id = sql`'fill-' || lpad(i::text, 8, '0')`;
  // Versions as the connectors give them: HubSpot's is the modification time, Mailchimp's adds a content hash.
  const rightVersion = sql`${now} || '#' || left(md5(i::text), 16)`;
  await sql`insert into links (id, pair, left_id, right_id, match_key, created_at, updated_at)
    select ${id}, ${o.pair}, 'hs-' || i, 'mc-' || i, 'email:fill' || i || '@bench.example.com', ${now}, ${now} from ${series}`.execute(db);
  await sql`insert into record_shadows (link_id, left_version, left_modified_at, right_version, right_modified_at, updated_at)
    select ${id}, ${now}, ${now}, ${rightVersion}, ${now}, ${now} from ${series}`.execute(db);
}

async function seedChunkSqlite(db: Db, o: SeedLinksOptions, lo: number, hi: number, now: string): Promise<void> {
  const series = sql`with recursive s(i) as (select ${lo} union all select i + 1 from s where i + 1 < ${hi})`;
  const id = sql`'fill-' || substr('00000000' || i, -8)`;
  // SQLite has no md5: a hex of the number stands in for the content hash, same length as the real one.
  const rightVersion = sql`${now} || '#' || printf('%016x', i * 2654435761)`;
  await sql`${series} insert into links (id, pair, left_id, right_id, match_key, created_at, updated_at)
    select ${id}, ${o.pair}, 'hs-' || i, 'mc-' || i, 'email:fill' || i || '@bench.example.com', ${now}, ${now} from s`.execute(db);
  await sql`${series} insert into record_shadows (link_id, left_version, left_modified_at, right_version, right_modified_at, updated_at)
    select ${id}, ${now}, ${now}, ${rightVersion}, ${now}, ${now} from s`.execute(db);
}
