/**
 * `concord explain <system>:<object>/<id>.<field>`: the history behind one value, from the audit log.
 */
import type { Command } from 'commander';
import { explainValue, formatExplain, parseExplainTarget } from '../../report/explain.js';
import { withEngineSession, type EngineCommandOptions } from './sync.js';

export function register(program: Command, options: EngineCommandOptions = {}): void {
  program
    .command('explain')
    .description('the history behind a value: each change, where it came from, which rule and conflict decision, with batch ids')
    .argument('<target>', '<system>:<object>/<id>.<field>, e.g. hubspot:contacts/123.firstname')
    .option('--json', 'print as JSON')
    .action(async (text: string, opts: { json?: boolean }, command: Command) => {
      const target = parseExplainTarget(text);
      await withEngineSession(command, options, async (session) => {
        const steps = await explainValue(session.store, target, session.mappings);
        process.stdout.write(opts.json ? `${JSON.stringify({ target, steps }, null, 2)}\n` : formatExplain(target, steps));
      });
    });
}
