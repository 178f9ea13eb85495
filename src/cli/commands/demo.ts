/**
 * `concord demo [--seconds N] [--contacts N] [--seed S]`: the whole product on local emulators, with no
 * accounts and no setup (`npm run demo`). Exit code 1 when the two sides do not agree at the end.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { runDemo } from '../../demo/run-demo.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a whole number above 0, found "${value}"`);
  return n;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('run HubSpot and Mailchimp emulators and the daemon, make random edits on both sides, and check that both agree')
    .option('--seconds <n>', 'how long to make random edits', positiveInt, 30)
    .option('--contacts <n>', 'contacts seeded on each side', positiveInt, 200)
    .option('--seed <seed>', 'seed of the data and the edits, so a run reproduces', 'concord')
    .option('--dir <dir>', 'where the config, state database, log and report go (emptied first)', '.concord/demo')
    .action(async (opts: { seconds: number; contacts: number; seed: string; dir: string }) => {
      const result = await runDemo({ seconds: opts.seconds, contacts: opts.contacts, seed: opts.seed, dir: opts.dir });
      if (!result.agreed) process.exitCode = 1;
    });
}
