import { Argument, InvalidArgumentError, type Command } from 'commander';
import { emulatorIds, emulators, type EmulatorId } from '../../emulators/emulator-registry.js';
import { createLogger } from '../../shared/logger.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`expected a whole number from 0 to 65535 (0 picks a free port), found "${value}"`);
  }
  return n;
}

function parseUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return value;
  } catch { /* reported below */ }
  throw new InvalidArgumentError(`expected an http:// or https:// URL, found "${value}"`);
}

/**
 * `concord emulate <provider> [--port N] [--webhook-url URL] [--seed S]`: runs one provider emulator alone
 * until Ctrl-C, printing its URL, the credentials it accepts and where its admin API is.
 */
export function register(program: Command): void {
  program
    .command('emulate')
    .description('run one provider emulator alone (for trying a connector by hand); prints its URL and credentials')
    .addArgument(new Argument('<provider>', 'which emulator').choices(emulatorIds))
    .option('--port <n>', 'port to listen on; 0 picks a free one', parsePort, 0)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--webhook-url <url>', 'where the emulator delivers webhooks', parseUrl)
    .option('--seed <seed>', 'seed for ids, tokens and fault rolls, so runs reproduce', 'concord')
    .action(async (provider: EmulatorId, options: { port: number; host: string; webhookUrl?: string; seed: string }, command: Command) => {
      const log = createLogger({ level: process.env.CONCORD_LOG_LEVEL ?? 'warn' });
      let emulator;
      try {
        emulator = await emulators[provider]({
          port: options.port, host: options.host, seed: options.seed, log,
          ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
        });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'EADDRINUSE' ? `port ${options.port} on ${options.host} is already in use; pick another with --port, or --port 0 for any free one`
          : err instanceof Error ? err.message : String(err);
        command.error(`concord emulate ${provider}: could not start: ${why}`, { exitCode: 1 });
        return;
      }
      const lines = [
        `${provider} emulator listening on ${emulator.url}`,
        ...[
          ['base URL', emulator.baseUrl] as const,
          ...Object.entries(emulator.credentials),
          ['webhooks to', options.webhookUrl ?? '(none; set with PUT /__emulator/webhooks)'] as const,
          ['admin API', `${emulator.url}/__emulator (see src/emulators/README.md)`] as const,
        ].map(([k, v]) => `  ${`${k}:`.padEnd(17)} ${v}`),
        'Press Ctrl-C to stop.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      const running = emulator;
      await new Promise<void>((resolve) => {
        const stop = (): void => { void running.close().then(resolve); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
