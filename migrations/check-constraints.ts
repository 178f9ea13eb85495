import { sql, type Expression, type SqlBool } from 'kysely';

/** `column IN ('a', 'b')` for a CHECK constraint; the values are constants of the migrations. */
export function sqlIn(column: string, values: string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
