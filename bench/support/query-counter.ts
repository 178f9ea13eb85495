/**
 * Counts what a piece of work asks of the store: statements run and rows they returned, through a Kysely
 * plugin on a copy of the database handle (the store itself is untouched). It also keeps each distinct
 * statement with its first parameters, so `fullScans` can ask the database's planner whether any of them
 * reads a whole table: the structural reason a cost grows with the number of records.
 */
import { CompiledQuery, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Database, StoreDialect } from '../../src/store/database.js';

export interface QueryCounter {
  db: Kysely<Database>;
  readonly statements: number;
  readonly rows: number;
  reset(): void;
  /** Tables some statement run since the last reset reads in full, per the planner. */
  fullScans(): Promise<string[]>;
}

export function createQueryCounter(base: Kysely<Database>, dialect: StoreDialect): QueryCounter {
  let statements = 0;
  let rows = 0;
  const seen = new Map<string, readonly unknown[]>();
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      statements += 1;
      const compiled = base.getExecutor().compileQuery(args.node, args.queryId);
      if (!seen.has(compiled.sql)) seen.set(compiled.sql, compiled.parameters);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      rows += args.result.rows.length;
      return args.result;
    },
  };
  return {
    db: base.withPlugin(plugin),
    get statements() { return statements; },
    get rows() { return rows; },
    reset() { statements = 0; rows = 0; seen.clear(); },
    async fullScans() {
      const tables = new Set<string>();
      for (const [text, params] of seen) {
        if (!/^\s*(select|with|update|delete)/i.test(text)) continue;
        const explain = dialect === 'sqlite' ? `explain query plan ${text}` : `explain ${text}`;
        const plan = await base.executeQuery(CompiledQuery.raw(explain, [...params]));
        for (const row of plan.rows as Array<Record<string, unknown>>) {
          const line = String(row.detail ?? row['QUERY PLAN'] ?? '');
          const m = dialect === 'sqlite' ? /^SCAN (?!CONSTANT)(\w+)/.exec(line) : /Seq Scan on (\w+)/.exec(line);
          if (m) tables.add(m[1]!);
        }
      }
      return [...tables].sort();
    },
  };
}
