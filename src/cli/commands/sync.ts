/**
 * `concord sync --pair P --once [--dry-run]`: one pair (or every pair) to quiescence, with a progress bar on a
 * terminal and plain lines otherwise.
 *
 * This module also opens the engine session the other engine commands use (plan, apply, rollback, conflicts,
 * audit, explain): config and mappings from `--config`, the store from `database.url`, connectors from the
 * registry. Tests pass their own `ConnectorSource` to `register` instead.
 */
import type { Command } from 'commander';
import { checkWorkspace } from '../../config/workspace.js';
import type { HttpClient } from '../../connectors/http/http-types.js';
import { createConnector, connectorFactories } from '../../connectors/registry.js';
import { createEngineSession, type ConnectorSource, type EngineSession } from '../../engine/session/engine-session.js';
import { createEngineStore } from '../../engine/state/kysely-engine-store.js';
import { syncPair, type SyncProgress } from '../../engine/sync/sync-pair.js';
import { formatProblem, hasErrors } from '../../config/problems.js';
import { asSystemId } from '../../shared/ids.js';
import { systemClock } from '../../shared/clock.js';
import { ConcordError } from '../../shared/errors/index.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { limitersForAccount } from '../../runtime/rate-limit/budget-from-facts.js';
import { createLimiterRegistry } from '../../runtime/rate-limit/limiter-registry.js';
import { createCircuitRegistry } from '../../runtime/resilience/circuit-registry.js';
import { createResilientHttpClient } from '../../runtime/resilience/resilient-http-client.js';
import { openStore } from '../../store/migrate.js';
import type { DaemonConfig } from '../../config/daemon-config-schema.js';

export interface EngineCommandOptions {
  /** Where connectors come from. Default: the connector registry, configured from the daemon config. */
  connectorSource?: (config: Readonly<DaemonConfig>) => ConnectorSource;
}

/**
 * Connectors from the registry, each HTTP client wrapped as the daemon wraps it (retry with backoff honouring
 * Retry-After, a circuit per system, the account's rate limiter), so a one-off command respects provider limits.
 */
function registrySource(config: Readonly<DaemonConfig>, log: Logger): { source: ConnectorSource; close(): Promise<void> } {
  const limiters = createLimiterRegistry({ clock: systemClock });
  const circuits = createCircuitRegistry({ log });
  const source: ConnectorSource = (system) => {
    const sys = config.systems[system];
    if (!sys || sys.enabled === false) {
      throw new ConcordError('CONCORD_ERR_ENGINE_SYSTEM_UNAVAILABLE',
        `systems.${system}: ${sys ? 'is disabled (enabled: false)' : 'is not defined'} in the daemon config; defined systems: ${Object.keys(config.systems).join(', ') || 'none'}`);
    }
    const connector = createConnector(sys.connector ?? system, {
      system: asSystemId(system), baseUrl: sys.base_url, credentials: { ...sys.credentials }, emulator: sys.emulator,
    });
    const inner = connector.createHttpClient?.({ clock: systemClock });
    if (!inner) return { connector, http: { request: () => Promise.reject(new Error(`connector ${system} builds no HTTP client`)) } as unknown as HttpClient };
    const accountLimiters = limitersForAccount(limiters, system, connector.limits ?? {}, sys.rate_limit ?? {});
    const http = createResilientHttpClient(inner, {
      system, limiter: accountLimiters.account, groupLimiters: accountLimiters.groups, circuit: circuits.forSystem(system), clock: systemClock, log,
    });
    return { connector, http };
  };
  return { source, close: () => limiters.close() };
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
  const connectors = options.connectorSource
    ? { source: options.connectorSource(checked.config), close: async () => {} }
    : registrySource(checked.config, log);
  const db = await openStore(checked.config.database.url);
  try {
    const session = createEngineSession({
      store: createEngineStore(db.db, systemClock), mappings, connectors: connectors.source, clock: systemClock, log,
    });
    return await run(session);
  } finally {
    await db.close();
    await connectors.close();
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
