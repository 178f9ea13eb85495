/**
 * `concord sync --pair P --once [--dry-run]`: one pair (or every pair) to quiescence, with a progress bar on a
 * terminal and plain lines otherwise.
 *
 * This module also opens the engine session the other engine commands use (plan, apply, rollback, conflicts,
 * audit, explain): config and mappings from `--config`, the store from `database.url`, connections to the
 * systems built as the daemon builds them. Tests pass their own `ConnectorSource` to `register` instead.
 */
import type { Command } from 'commander';
import { checkWorkspace } from '../../config/workspace.js';
import { connectorFactories } from '../../connectors/registry.js';
import { createEngineSession, type ConnectorSource, type EngineSession } from '../../engine/session/engine-session.js';
import { createEngineStore } from '../../engine/state/kysely-engine-store.js';
import { syncPair, type SyncProgress } from '../../engine/sync/sync-pair.js';
import { formatProblem, hasErrors } from '../../config/problems.js';
import { systemClock } from '../../shared/clock.js';
import { ConcordError } from '../../shared/errors/index.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { openSystemAccess } from '../../runtime/daemon/system-access.js';
import type { Db } from '../../store/database.js';
import { openStore } from '../../store/migrate.js';
import type { DaemonConfig } from '../../config/daemon-config-schema.js';

export interface EngineCommandOptions {
  /** Where connectors come from. Default: the connector registry, configured from the daemon config. */
  connectorSource?: (config: Readonly<DaemonConfig>) => ConnectorSource;
}

/**
 * Connections built exactly as the daemon builds them (`openSystemAccess`): the account's rate limiter and its
 * limit groups (shared with a running daemon through Redis when configured), the system's circuit, retries
 * with the daemon's idempotent-request rules, OAuth tokens from the encrypted token store. A system's
 * connection is built on first use, so a command on one pair needs no credentials of another pair's systems.
 */
async function registrySource(config: Readonly<DaemonConfig>, db: Db, used: ReadonlySet<string>, log: Logger): Promise<{ source: ConnectorSource; close(): Promise<void> }> {
  const access = await openSystemAccess({ config, db, used, env: process.env, clock: systemClock, log });
  const source: ConnectorSource = (system) => {
    const connection = access.connect(new Set([system])).get(system);
    if (connection) return connection;
    const sys = config.systems[system];
    throw new ConcordError('CONCORD_ERR_ENGINE_SYSTEM_UNAVAILABLE',
      `systems.${system}: ${sys ? 'is disabled (enabled: false)' : 'is not defined'} in the daemon config; defined systems: ${Object.keys(config.systems).join(', ') || 'none'}`);
  };
  return { source, close: () => access.close() };
}

/**
 * Opens config, mappings, store and connectors; `run` gets the session and the store is closed after. An error in
 * the daemon config stops the command. A mapping file with errors is left out (with a warning naming it, and
 * `concord validate` for details): a one-off command on one pair need not wait for another pair's file to be fixed.
 */
export async function withEngineSession<T>(command: Command, options: EngineCommandOptions, run: (session: EngineSession) => Promise<T>): Promise<T> {
  const configPath = (command.optsWithGlobals() as { config: string }).config;
  const checked = await checkWorkspace({
    configPath, env: process.env, ...(options.connectorSource ? {} : { connectorKinds: Object.keys(connectorFactories) }),
  });
  const configProblems = checked.problems.filter((p) => p.severity === 'error' && !checked.mappings.some((m) => m.file === p.file));
  if (!checked.config || configProblems.length > 0) {
    throw new ConcordError('CONCORD_ERR_ENGINE_WORKSPACE_INVALID',
      `${configPath}: the daemon config has errors:\n${configProblems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  const broken = checked.mappings.filter((m) => !m.compiled || hasErrors(m.problems));
  for (const m of broken) process.stderr.write(`warning: ${m.file} has errors and is left out; run \`concord validate ${m.file}\`\n`);
  const mappings = checked.mappings.flatMap((m) => (m.compiled && !hasErrors(m.problems) ? [m.compiled] : []));
  const log = createLogger({ level: process.env.CONCORD_LOG_LEVEL ?? 'warn', destination: process.stderr as never });
  const db = await openStore(checked.config.database.url);
  let connectors: { source: ConnectorSource; close(): Promise<void> } | undefined;
  try {
    const used = new Set(mappings.flatMap((m) => [m.left.system, m.right.system]));
    connectors = options.connectorSource
      ? { source: options.connectorSource(checked.config), close: async () => {} }
      : await registrySource(checked.config, db.db, used, log);
    const session = createEngineSession({
      store: createEngineStore(db.db, systemClock), mappings, connectors: connectors.source, clock: systemClock, log,
    });
    return await run(session);
  } finally {
    await connectors?.close();
    await db.close();
  }
}

function progressPrinter(pair: string): (p: SyncProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastLine = '';
  return (p) => {
    if (tty) {
      const width = 30;
      const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
      process.stderr.write(`\r${pair} pass ${p.pass} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}`);
      if (p.done === p.total) process.stderr.write('\n');
      return;
    }
    const line = `${pair}: pass ${p.pass}: ${p.done}/${p.total} records`;
    if (line !== lastLine && (p.done === p.total || p.done % 1000 === 0)) process.stderr.write(`${line}\n`);
    lastLine = line;
  };
}

export function register(program: Command, options: EngineCommandOptions = {}): void {
  program
    .command('sync')
    .description('run a pair to quiescence once: list changes from its cursors, process every record, repeat until nothing is left')
    .option('--pair <pair>', 'the pair to sync (default: every pair)')
    .option('--once', 'one run to quiescence, then exit (required; the daemon is `concord run`)')
    .option('--dry-run', 'show what would be done, write nothing')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { pair?: string; once?: boolean; dryRun?: boolean; json?: boolean }, command: Command) => {
      if (!opts.once) {
        throw new ConcordError('CONCORD_ERR_ENGINE_SYNC_NEEDS_ONCE', 'sync: expected --once (one run to quiescence); to keep pairs in sync continuously run `concord run`');
      }
      await withEngineSession(command, options, async (session) => {
        const pairs = opts.pair ? [opts.pair] : [...session.mappings.keys()].sort();
        let bad = false;
        for (const pair of pairs) {
          const report = await syncPair(session.depsFor(pair), { dryRun: opts.dryRun === true, onProgress: progressPrinter(pair) });
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ pair, ...report }, null, 2)}\n`);
          } else if (opts.dryRun) {
            process.stdout.write(`${pair}: dry run, ${report.plans.filter((p) => p.status === 'changes').length} records would change (see \`concord plan --pair ${pair}\` for details)\n`);
          } else {
            const c = report.counts;
            process.stdout.write(`${pair}: ${report.quiescent ? 'quiescent' : 'NOT quiescent'} after ${report.passes} pass(es), batch ${report.batchId}: ` +
              `${c.committed} committed, ${c.noop} unchanged, ${c.waiting} waiting, ${c.duplicate} duplicates, ${c.skipped} skipped, ${c.failed + c.stale} failed; ` +
              `writes left ${report.writes.left}, right ${report.writes.right}\n`);
            for (const p of report.problems) process.stdout.write(`  ${p.outcome} ${p.key}: ${p.notes.join('; ')}\n`);
          }
          if (report.problems.some((p) => p.outcome === 'failed' || p.outcome === 'stale') || (!opts.dryRun && !report.quiescent)) bad = true;
        }
        if (bad) process.exitCode = 1;
      });
    });
}
