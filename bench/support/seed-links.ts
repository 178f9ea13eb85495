/** Links straight into the store, for sizes no emulator needs to hold (1,000,000 links). */
import { sql } from 'kysely';
import type { Db, StoreDialect } from '../../src/store/database.js';

/** Adds links `from`..`to`-1 for records that exist only in the store, in one statement. */
export async function seedLinks(db: Db, dialect: StoreDialect, pair: string, from: number, to: number): Promise<void> {
  const now = new Date().toISOString();
  if (dialect === 'postgres') {
    await sql`insert into links (id, pair, left_id, right_id, match_key, created_at, updated_at)
      select 'fill-' || lpad(i::text, 8, '0'), ${pair}, 'hs-' || i, 'mc-' || i, 'fill' || i || '@bench.example.com', ${now}, ${now}
      from generate_series(${from}::int, ${to - 1}::int) as i`.execute(db);
    await sql`analyze links`.execute(db);
  } else {
    await sql`with recursive s(i) as (select ${from} union all select i + 1 from s where i + 1 < ${to})
      insert into links (id, pair, left_id, right_id, match_key, created_at, updated_at)
      select 'fill-' || substr('00000000' || i, -8), ${pair}, 'hs-' || i, 'mc-' || i, 'fill' || i || '@bench.example.com', ${now}, ${now} from s`.execute(db);
    await sql`analyze`.execute(db);
  }
}

