import type { Db } from './database.js';
import { dialectOf } from './dialect-of.js';

/** The most bound parameters one statement may carry: SQLite's default limit, and Postgres's 16-bit count. */
const PARAMETER_LIMIT = { sqlite: 32_766, postgres: 65_535 } as const;

/** How many rows of `columns` values a multi-row statement may carry on this database. */
export function rowsPerStatement(db: Db, columns: number): number {
  return Math.max(1, Math.floor(PARAMETER_LIMIT[dialectOf(db)] / columns));
}

/** `rows` cut into slices that each fit one statement. */
export function statementChunks<T>(db: Db, rows: readonly T[], columns: number): T[][] {
  const size = rowsPerStatement(db, columns);
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
