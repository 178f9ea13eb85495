/**
 * Counts what a piece of work asks of the store: statements run and rows they returned, through a Kysely
 * plugin on a copy of the database handle (the store itself is untouched). It also keeps each distinct
 * statement with its first parameters, so `fullScans` can ask the database's planner whether any of them
 * reads a whole table: the structural reason a cost grows with the number of records. Time per distinct
 * statement (from the plugin's hand-off to the result coming back) says where a slow cycle spent it.
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
  /** Time spent waiting on statements since the last reset, ms. */
  readonly storeMs: number;
  /** The distinct statements since the last reset that took longest in all, longest first. */
  slowest(n: number): Array<{ sql: string; runs: number; ms: number }>;
}

export function createQueryCounter(base: Kysely<Database>, dialect: StoreDialect): QueryCounter {
  let statements = 0;
  let rows = 0;
  const seen = new Map<string, readonly unknown[]>();
  const started = new WeakMap<object, { sql: string; at: number }>();
  const spent = new Map<string, { runs: number; ms: number }>();
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      statements += 1;
      const compiled = base.getExecutor().compileQuery(args.node, args.queryId);
      if (!seen.has(compiled.sql)) seen.set(compiled.sql, compiled.parameters);
      started.set(args.queryId, { sql: compiled.sql, at: performance.now() });
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      rows += args.result.rows.length;
      const s = started.get(args.queryId);
      if (s) {
        const t = spent.get(s.sql) ?? { runs: 0, ms: 0 };
        spent.set(s.sql, { runs: t.runs + 1, ms: t.ms + performance.now() - s.at });
      }
      return args.result;
    },
  };
  return {
    db: base.withPlugin(plugin),
    get statements() { return statements; },
    get rows() { return rows; },
    get storeMs() { return [...spent.values()].reduce((sum, t) => sum + t.ms, 0); },
    reset() { statements = 0; rows = 0; seen.clear(); spent.clear(); },
    slowest(n) {
      return [...spent].map(([sql, t]) => ({ sql, ...t })).sort((a, b) => b.ms - a.ms).slice(0, n);
    },
    async fullScans() {
      const tables = new Set<string>();
      for (const [text, params] of seen) {
        if (!/^\s*(select|with|update|delete)/i.test(text)) continue;
        const scanned = await scansOf(base, dialect, text, params);
        if (scanned.length === 0) continue;
        // Postgres reads a small table whole when that is cheaper than the index; asked again with
        // sequential scans priced out, a plan that still scans has no index to use.
        const forced = dialect === 'postgres'
          ? await base.transaction().execute(async (trx) => {
            await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
            return scansOf(trx, dialect, text, params);
          })
          : scanned;
        for (const t of scanned) tables.add(forced.includes(t) ? t : `${t} (planner's choice at this size; an index serves it)`);
      }
      return [...tables].sort();
    },
  };
}

async function scansOf(db: Kysely<Database>, dialect: StoreDialect, text: string, params: readonly unknown[]): Promise<string[]> {
  const explain = dialect === 'sqlite' ? `explain query plan ${text}` : `explain ${text}`;
  const plan = await db.executeQuery(CompiledQuery.raw(explain, [...params]));
  const tables: string[] = [];
  for (const row of plan.rows as Array<Record<string, unknown>>) {
    const line = String(row.detail ?? row['QUERY PLAN'] ?? '');
    const m = dialect === 'sqlite' ? /^SCAN (?!CONSTANT)(\w+)/.exec(line) : /Seq Scan on (\w+)/.exec(line);
    if (m) tables.push(m[1]!);
  }
  return tables;
}
