/**
 * `npm run bench [-- --quick] [-- --only name[,name]] [-- --dialect sqlite|postgres]`: runs the benchmarks,
 * prints one markdown table (figure, value, unit, baseline, ratio) and writes `bench/results/latest.json`.
 * Everything runs on loopback against the in-process emulators; every loop is bounded in count and time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { StoreDialect } from '../src/store/database.js';
import { postgresProblem } from './support/bench-store.js';
import { formatTable, type Benchmark, type Figure } from './support/figures.js';
import { initialSync } from './initial-sync.js';
import { webhookIngest } from './webhook-ingest.js';
import { endToEndLatency } from './end-to-end-latency.js';
import { pollingCost } from './polling-cost.js';
import { rateLimit } from './rate-limit.js';
import { memory } from './memory.js';

const benchmarks: Benchmark[] = [initialSync, webhookIngest, endToEndLatency, pollingCost, rateLimit, memory];

interface Args { quick: boolean; only: string[] | undefined; dialects: StoreDialect[]; list: boolean }

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: undefined, dialects: ['sqlite', 'postgres'], list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a}: expected a value`);
      return v;
    };
    if (a === '--quick') args.quick = true;
    else if (a === '--list') args.list = true;
    else if (a.startsWith('--only')) args.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a.startsWith('--dialect')) {
      const v = value();
      if (v !== 'sqlite' && v !== 'postgres') throw new Error(`--dialect: expected sqlite or postgres, found "${v}"`);
      args.dialects = [v];
    } else throw new Error(`unknown option "${a}"; allowed: --quick, --only <name[,name]>, --dialect sqlite|postgres, --list`);
  }
  const names = benchmarks.map((b) => b.name);
  const unknown = (args.only ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new Error(`--only: unknown benchmark ${unknown.join(', ')}; known: ${names.join(', ')}`);
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const b of benchmarks) process.stdout.write(`${b.name}\t${b.title}\n`);
    return;
  }
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let dialects = args.dialects;
  if (dialects.includes('postgres')) {
    const problem = await postgresProblem();
    if (problem) {
      say(`Postgres did not answer (${problem}): running SQLite only; set CONCORD_BENCH_PG_URL`);
      dialects = dialects.filter((d) => d !== 'postgres');
    }
  }
  const started = Date.now();
  const figures: Figure[] = [];
  const failures: string[] = [];
  for (const b of benchmarks.filter((x) => !args.only || args.only.includes(x.name))) {
    for (const dialect of b.perDialect ? dialects : [undefined]) {
      const t0 = Date.now();
      say(`== ${b.name}${dialect ? ` [${dialect}]` : ''}`);
      try {
        figures.push(...await b.run({ quick: args.quick, dialects, say }, dialect));
      } catch (err) {
        failures.push(`${b.name}${dialect ? ` [${dialect}]` : ''}: ${(err as Error).stack ?? String(err)}`);
        say(`!! ${b.name} failed: ${(err as Error).message}`);
      }
      say(`   ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const table = formatTable(figures);
  process.stdout.write(`${table}\n`);
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.bench}: ${f.name}: ${f.note}`);
  if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`);
  const out = {
    at: new Date().toISOString(), quick: args.quick, dialects, seconds: (Date.now() - started) / 1000,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    figures, failures,
  };
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}latest.json`, `${JSON.stringify(out, null, 2)}\n`);
  if (failures.length > 0) {
    process.stderr.write(`\n${failures.length} benchmark(s) failed:\n${failures.join('\n')}\n`);
    process.exitCode = 1;
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exit(2);
});
