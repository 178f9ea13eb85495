#!/usr/bin/env node
import { Command } from 'commander';
import { isConcordError } from '../shared/errors/index.js';
import { commandModules } from './commands/index.js';

async function main(argv: string[]): Promise<void> {
  const program = new Command('concord')
    .description('Keeps records in business systems in agreement, field by field.')
    .option('-c, --config <file>', 'daemon config file', process.env.CONCORD_CONFIG ?? 'config/concord.yaml')
    .showHelpAfterError();
  for (const load of commandModules) (await load()).register(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  if (isConcordError(err)) {
    process.stderr.write(`${err.code}: ${err.message}\n`);
  } else {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  }
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
});
