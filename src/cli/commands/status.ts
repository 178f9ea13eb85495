/**
 * `concord status [--json]`: per system and pair — health, circuit, last poll, cursor lag, queue depth,
 * open conflicts, dead letters, paused pairs. Reads the store, and the running daemon's `/admin/status`
 * when one answers on the configured address (health, circuits and queue depth only it knows).
 */
import type { Command } from 'commander';
import { fetchLiveStatus, withOperatorStore } from '../../runtime/daemon/operator-store.js';
import { readStoreStatus, type LiveStatus } from '../../runtime/daemon/status-report.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('health, circuits, last poll, cursor lag, queue depth, conflicts and dead letters per system and pair')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const configPath = (command.optsWithGlobals() as { config: string }).config;
      await withOperatorStore(configPath, async ({ config, mappings, store }) => {
        const storeStatus = await readStoreStatus(store.db, mappings, new Date());
        const live = (await fetchLiveStatus(config) as { live?: LiveStatus } | undefined)?.live;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ daemon: live ?? null, store: storeStatus }, null, 2)}\n`);
          return;
        }
        const lines: string[] = [];
        lines.push(live
          ? `daemon: running since ${live.startedAt}, queue depth ${live.queueDepth}, inbox rows in work ${live.pendingRows}`
          : `daemon: not answering on ${config.http.host}:${config.http.port} (health, circuits and queue depth need a running daemon)`);
        lines.push(`inbox: ${storeStatus.inboxPending} event(s) waiting`);
        lines.push('', 'systems:');
        const systems = new Set([...Object.keys(live?.systems ?? {}), ...mappings.flatMap((m) => [m.left.system, m.right.system])]);
        for (const s of [...systems].sort()) {
          const l = live?.systems[s];
          const health = l ? (l.healthy ? 'healthy' : `UNHEALTHY (${l.detail ?? 'no detail'})`) : 'unknown';
          const polls = storeStatus.cursors.filter((c) => c.system === s)
            .map((c) => `${c.object}: last poll ${c.lastPollAt}${c.lagSeconds !== null ? `, cursor lag ${c.lagSeconds} s` : ''}`);
          lines.push(`  ${s}: ${health}, circuit ${l?.circuit ?? 'unknown'}, dead letters ${storeStatus.deadLettersBySystem[s] ?? 0}`);
          for (const p of polls.length > 0 ? polls : ['no poll yet']) lines.push(`    ${p}`);
        }
        lines.push('', 'pairs:');
        for (const p of storeStatus.pairs) {
          const held = live?.held[p.pair] ?? 0;
          const wait = live?.recovering?.[p.pair];
          const state = p.paused ? `PAUSED: ${p.pausedReason ?? ''} (concord approve --pair ${p.pair})`
            : wait ? `WAITING for its unfinished writes to be resolved since ${wait.since}${wait.lastError ? ` (${wait.attempts} failed attempt(s): ${wait.lastError})` : ''}` : 'running';
          lines.push(`  ${p.pair} (${p.left} <-> ${p.right}): ${state}, ` +
            `open conflicts ${p.openConflicts}, dead letters ${p.deadLetters}${held > 0 ? `, ${held} key(s) held` : ''}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
