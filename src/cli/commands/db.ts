import type { Command } from 'commander';
import { loadDaemonConfig } from '../../config/daemon-config.js';
import { formatProblem } from '../../config/problems.js';
import { openStore } from '../../store/migrate.js';

/**
 * `concord db migrate [--database <url>]`: brings the state database to the latest schema. The URL
 * comes from --database, else from `database.url` of the config given by -c/--config. The daemon
 * migrates at start too; this command lets an operator do it (and see it done) before a deploy.
 */
export function register(program: Command): void {
  const db = program.command('db').description('state database maintenance');
  db.command('migrate')
    .description('apply the schema migrations the state database does not have yet')
    .option('--database <url>', 'database URL (default: database.url of the config)')
    .action(async (options: { database?: string }, command: Command) => {
      const url = options.database ?? (await databaseUrlFromConfig((command.optsWithGlobals() as { config: string }).config));
      if (url === undefined) return;
      const store = await openStore(url);
      try {
        const latest = store.current[store.current.length - 1] ?? '(none)';
        if (store.applied.length === 0) {
          process.stdout.write(`${store.displayUrl} (${store.dialect}): schema is current at ${latest}\n`);
        } else {
          for (const name of store.applied) process.stdout.write(`applied ${name}\n`);
          process.stdout.write(`${store.displayUrl} (${store.dialect}): schema migrated to ${latest}\n`);
        }
      } finally {
        await store.close();
      }
    });
}

/** The config's database URL; prints the config's problems and sets exit code 1 when it does not load. */
async function databaseUrlFromConfig(configPath: string): Promise<string | undefined> {
  const loaded = await loadDaemonConfig(configPath, process.env);
  if (!loaded.ok) {
    for (const problem of loaded.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    process.stderr.write(`the config ${configPath} does not load; fix it or pass --database <url>\n`);
    process.exitCode = 1;
    return undefined;
  }
  return loaded.config.database.url;
}
