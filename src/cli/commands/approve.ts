/**
 * `concord approve --pair P`: releases a pair paused by the mass-change guard. The running daemon sees
 * the approval within seconds and carries out the held work.
 */
import type { Command } from 'commander';
import { withOperatorStore } from '../../runtime/daemon/operator-store.js';
import { ConcordError } from '../../shared/errors/index.js';
import { approvePair, getPairState } from '../../store/pair-state.js';

export function register(program: Command): void {
  program
    .command('approve')
    .description('release a pair paused by the mass-change guard')
    .requiredOption('--pair <pair>', 'the paused pair')
    .action(async (opts: { pair: string }, command: Command) => {
      const configPath = (command.optsWithGlobals() as { config: string }).config;
      await withOperatorStore(configPath, async ({ store }) => {
        const state = await getPairState(store.db, opts.pair);
        if (!(await approvePair(store.db, opts.pair, new Date()))) {
          throw new ConcordError('CONCORD_ERR_RUNTIME_PAIR_NOT_PAUSED',
            `--pair ${opts.pair}: expected a pair paused by the mass-change guard, found it running; nothing to approve`, { pair: opts.pair });
        }
        process.stdout.write(`${opts.pair}: approved (it was paused: ${state.pausedReason ?? 'no reason recorded'}); the daemon resumes it within seconds\n`);
      });
    });
}
