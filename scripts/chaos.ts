/**
 * `npm run chaos -- --minutes N [--seed S] [--dialect sqlite|postgres] [--steps K] [--scenario SEED]`:
 * chaos scenarios against the daemon, the emulators and a real store until the time is spent, then the figures.
 * `--scenario` replays one scenario seed exactly as printed for a failing run. Exit code 1 when anything was found.
 */
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { addResult, emptyFigures, formatFigures, runChaos, runScenario, type ScenarioResult } from '../test/chaos/chaos-run.js';
import { isPostgresReachable, type Dialect } from '../test/chaos/chaos-world.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    seed: { type: 'string' },
    dialect: { type: 'string' },
    steps: { type: 'string' },
    scenario: { type: 'string' },
  },
});

const minutes = Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0) {
  process.stderr.write(`--minutes: expected a positive number, found "${values.minutes}"\n`);
  process.exit(2);
}
if (values.dialect !== undefined && values.dialect !== 'sqlite' && values.dialect !== 'postgres') {
  process.stderr.write(`--dialect: expected sqlite or postgres, found "${values.dialect}"\n`);
  process.exit(2);
}
const steps = values.steps !== undefined ? Number(values.steps) : undefined;
let dialects: Dialect[] = values.dialect ? [values.dialect as Dialect] : ['sqlite', 'postgres'];
if (!values.dialect && !(await isPostgresReachable())) {
  process.stderr.write('Postgres does not answer (CONCORD_TEST_PG_URL); running on SQLite only\n');
  dialects = ['sqlite'];
}
const progress = (r: ScenarioResult) => process.stderr.write(`${r.seed} [${r.dialect}]: ${r.stats.operations} operations, ${r.stats.crashes} crashes, ` +
  `rollback ${JSON.stringify(r.rollback)}, ${r.findings.length === 0 ? 'ok' : `${r.findings.length} finding(s)`}${r.stats.notes.length ? `; notes: ${r.stats.notes.join(' | ')}` : ''}\n`);

let figures = emptyFigures();
if (values.scenario) {
  for (const dialect of dialects) {
    const r = await runScenario({ seed: values.scenario, dialect, keepFailing: true, ...(steps ? { steps } : {}) });
    progress(r);
    addResult(figures, r);
  }
} else {
  const baseSeed = values.seed ?? randomBytes(4).toString('hex');
  process.stderr.write(`chaos: base seed ${baseSeed}, ${minutes} minute(s), ${dialects.join(' and ')}\n`);
  figures = await runChaos({ baseSeed, dialects, budgetMs: minutes * 60_000, onResult: progress, ...(steps ? { steps } : {}) });
}
process.stdout.write(`${formatFigures(figures)}\n`);
process.exit(figures.failingSeeds.length > 0 ? 1 : 0);
