/**
 * One scenario end to end — world, seed data, daemon child, chaos, quiescence, checks, rollback and its check —
 * and a run of scenarios within a time budget. `plant` lets the control run change things behind Concord's back
 * after quiescence, to show the checker reports them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '../../src/store/migrate.js';
import type { StoreDatabase } from '../../src/store/database.js';
import { createChaosWorld, type ChaosWorld, type Dialect } from './chaos-world.js';
import { checkWorld, takeSnapshot, type Finding } from './convergence-checker.js';
import { createDaemonChild } from './daemon-child.js';
import { checkRestored, expectedAfterRollback, runRollbackCli, type RollbackOutcome } from './rollback-check.js';
import { generateScenario, type GeneratorOptions } from './scenario-generator.js';
import { countWebhookChaos, playScenario, quiesce, seedPeople, type RunStats, type UserEdit } from './scenario-runner.js';

export type Plant = (world: ChaosWorld, store: StoreDatabase, edits: UserEdit[]) => Promise<void>;

export interface ScenarioResult {
  seed: string;
  dialect: Dialect;
  stats: RunStats;
  findings: Finding[];
  rollback: RollbackOutcome | null;
  /** Where the daemon's log and the workspace were (removed unless `keep`). */
  dir: string;
}

export interface ScenarioOptions extends GeneratorOptions {
  seed: string;
  dialect: Dialect;
  plant?: Plant;
  /** Skip the rollback step (the control run checks the checker only). Default is false. */
  skipRollback?: boolean;
  /** Keep the workspace and daemon log of a failing scenario for reading. Default is false. */
  keepFailing?: boolean;
}

/**
 * Every field of this pair exists on both emulators and accepts every value the scenario uses, so a write the
 * system did not keep as written (`engine:write:not-kept` in the daemon's log) is a defect here.
 */
async function notKeptWarnings(dir: string): Promise<Finding[]> {
  const text = await readFile(join(dir, 'daemon.log'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.includes('"event":"engine:write:not-kept"'))
    .map((l) => {
    const msg = (JSON.parse(l) as { msg?: string }).msg ?? l;
    return { kind: 'not-kept' as const, detail: msg };
  });
}

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const scenario = generateScenario(o.seed, o);
  const world = await createChaosWorld({ seed: o.seed, dialect: o.dialect });
  const daemon = createDaemonChild({ configPath: world.configPath, dir: world.dir, daemonUrl: world.daemonUrl, port: world.port });
  const stats: RunStats = { operations: 0, faults: {}, crashes: 0, guardPauses: 0, quiesced: false, notes: [] };
  const edits: UserEdit[] = [];
  const findings: Finding[] = [];
  let rollback: RollbackOutcome | null = null;
  let keep = false;
  try {
    await seedPeople(world, scenario, edits);
    const since = new Date().toISOString();
    await daemon.start();
    await playScenario(world, daemon, scenario, edits, stats);
    await quiesce(world, daemon, stats);
    await countWebhookChaos(world, scenario, stats);
    findings.push(...await notKeptWarnings(world.dir));
    if (!stats.quiesced) findings.push({ kind: 'not-quiescent', detail: stats.notes.find((n) => n.startsWith('not quiescent')) ?? 'still changing' });

    let store = await openStore(world.databaseUrl);
    let expected: ReturnType<typeof expectedAfterRollback>;
    try {
      if (o.plant) await o.plant(world, store, edits);
      const checked = await checkWorld(world, store, edits);
      findings.push(...checked.findings);
      expected = expectedAfterRollback(checked.snapshot, edits, since);
    } finally {
      await store.close();
    }
    if (!o.skipRollback) {
      rollback = await runRollbackCli(world, since);
      if (rollback.errors.length > 0) findings.push({ kind: 'not-restored', detail: `the rollback failed for ${rollback.errors.length} record(s): ${rollback.errors.join(' | ')}` });
      store = await openStore(world.databaseUrl);
      try {
        findings.push(...checkRestored(expected, await takeSnapshot(world, store)));
        const chain = await checkWorld(world, store, []);
        findings.push(...chain.findings.filter((f) => f.kind === 'audit-chain' || f.kind === 'unresolved'));
      } finally {
        await store.close();
      }
    }
    keep = o.keepFailing === true && findings.length > 0;
  } finally {
    await daemon.stop().catch(() => undefined);
    if (!keep) await world.close();
    else await Promise.all([world.hubspot.close(), world.mailchimp.close()]);
  }
  return { seed: o.seed, dialect: o.dialect, stats, findings, rollback, dir: world.dir };
}

export interface ChaosFigures {
  scenarios: number;
  operations: number;
  faults: Record<string, number>;
  crashes: number;
  /** Pairs the mass-change guard paused (approved during quiescence, as an operator would). */
  guardPauses: number;
  findings: Record<string, number>;
  failingSeeds: Array<{ seed: string; dialect: Dialect; findings: Finding[]; dir: string }>;
}

export function emptyFigures(): ChaosFigures {
  return { scenarios: 0, operations: 0, faults: {}, crashes: 0, guardPauses: 0, findings: {}, failingSeeds: [] };
}

export function addResult(f: ChaosFigures, r: ScenarioResult): void {
  f.scenarios += 1;
  f.operations += r.stats.operations;
  f.crashes += r.stats.crashes;
  f.guardPauses += r.stats.guardPauses;
  for (const [k, n] of Object.entries(r.stats.faults)) f.faults[k] = (f.faults[k] ?? 0) + n;
  for (const x of r.findings) f.findings[x.kind] = (f.findings[x.kind] ?? 0) + 1;
  if (r.findings.length > 0) f.failingSeeds.push({ seed: r.seed, dialect: r.dialect, findings: r.findings, dir: r.dir });
}

/**
 * Scenarios with seeds `<base>-1`, `<base>-2`, ...: `scenarios` of them, or until `budgetMs` is spent (at least one).
 * The test suite gives a count, so a loaded machine runs the same seeds as an idle one; `npm run chaos` a budget.
 */
export async function runChaos(o: { baseSeed: string; dialects: Dialect[]; scenarios?: number; budgetMs?: number; steps?: number; onResult?: (r: ScenarioResult) => void }): Promise<ChaosFigures> {
  const figures = emptyFigures();
  const started = Date.now();
  const more = (done: number) => (o.scenarios !== undefined ? done < o.scenarios : Date.now() - started < (o.budgetMs ?? 0));
  let i = 0;
  do {
    i += 1;
    for (const dialect of o.dialects) {
      const r = await runScenario({ seed: `${o.baseSeed}-${i}`, dialect, keepFailing: true, ...(o.steps ? { steps: o.steps } : {}) });
      addResult(figures, r);
      o.onResult?.(r);
    }
  } while (more(i));
  return figures;
}

export function formatFigures(f: ChaosFigures): string {
  const lines = ['', 'chaos figures', '-------------'];
  const row = (k: string, v: number | string) => lines.push(`${k.padEnd(28)} ${v}`);
  row('scenarios', f.scenarios);
  row('operations', f.operations);
  for (const [k, n] of Object.entries(f.faults).sort()) row(`faults: ${k}`, n);
  row('crashes (kill -9)', f.crashes);
  row('mass-change guard pauses', f.guardPauses);
  row('divergences (must be 0)', f.findings.divergence ?? 0);
  row('duplicates (must be 0)', f.findings.duplicate ?? 0);
  for (const k of ['unjournaled', 'unaudited', 'unresolved', 'audit-chain', 'not-restored', 'not-quiescent', 'not-kept']) row(`${k} (must be 0)`, f.findings[k] ?? 0);
  for (const s of f.failingSeeds) {
    lines.push('', `FAILING SEED ${s.seed} on ${s.dialect} (replay: npm run chaos -- --scenario ${s.seed} --dialect ${s.dialect}; workspace and daemon log: ${s.dir})`);
    for (const x of s.findings.slice(0, 20)) lines.push(`  ${x.kind}: ${x.detail}`);
    if (s.findings.length > 20) lines.push(`  ... and ${s.findings.length - 20} more`);
  }
  return lines.join('\n');
}
