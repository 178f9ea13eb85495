import type { Command } from 'commander';
import { formatProblem, hasErrors } from '../../config/problems.js';
import { checkWorkspace } from '../../config/workspace.js';
import { connectorFactories } from '../../connectors/registry.js';

/**
 * `concord validate [paths...]`: checks the daemon config and mapping files (default: the config's
 * mappings directory), prints every problem as `file:line:col  CODE  message` and a summary, and exits
 * 0 when there is no error, 1 otherwise. Warnings do not fail it.
 */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check the daemon config and mapping files; print every problem with file:line:col')
    .argument('[paths...]', 'mapping files or directories (default: the mappings directory of the config)')
    .option('--json', 'print the problems as a JSON array (file, line, col, code, message, severity) for tools')
    .action(async (paths: string[], options: { json?: boolean }, command: Command) => {
      const configPath = (command.optsWithGlobals() as { config: string }).config;
      const result = await checkWorkspace({ configPath, env: process.env, paths, connectorKinds: Object.keys(connectorFactories) });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result.problems, null, 2)}\n`);
        if (hasErrors(result.problems)) process.exitCode = 1;
        return;
      }
      for (const problem of result.problems) process.stdout.write(`${formatProblem(problem)}\n`);
      const errors = result.problems.filter((p) => p.severity === 'error').length;
      const warnings = result.problems.length - errors;
      const files = `${result.checkedFiles} file${result.checkedFiles === 1 ? '' : 's'}`;
      if (hasErrors(result.problems)) {
        process.stdout.write(`\n${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''} in ${files}\n`);
        process.exitCode = 1;
        return;
      }
      const inactive = result.checkedMappings
        .filter((m) => m.mapping && result.config &&
          [m.mapping.left.system, m.mapping.right.system].some((s) => result.config!.systems[s]?.enabled === false))
        .map((m) => m.mapping!.pair);
      process.stdout.write(`ok: ${files} valid${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`);
      if (inactive.length > 0) process.stdout.write(`inactive (a system is disabled): ${inactive.join(', ')}\n`);
    });
}
