/**
 * `concord run`: the daemon, until SIGTERM (or SIGINT). A config or mapping problem stops start-up with
 * every problem at its file:line:col and exit code 1.
 */
import type { Command } from 'commander';
import { startDaemon } from '../../runtime/daemon/daemon.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run the daemon: webhooks, polling, the work queue, health and metrics, until SIGTERM')
    .option('--port <n>', 'listen on this port instead of http.port (0 picks a free one)', (v) => Number(v))
    .action(async (opts: { port?: number }, command: Command) => {
      const configPath = (command.optsWithGlobals() as { config: string }).config;
      await startDaemon({
        configPath, installSignals: true,
        ...(opts.port !== undefined && Number.isInteger(opts.port) ? { port: opts.port } : {}),
      });
      // The process now lives on its server and timers; shutdown ends it with process.exit.
    });
}
