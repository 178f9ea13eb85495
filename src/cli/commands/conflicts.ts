/**
 * `concord conflicts list [--pair P] | show ID | resolve ID --take left|right|value <json>`: the manual-conflict
 * queue. A resolution is written to both sides as needed, journaled and audited.
 */
import type { Command } from 'commander';
import { resolveConflict, type Take } from '../../engine/conflicts/resolve-conflict.js';
import type { ConflictRecord } from '../../engine/state/engine-store.js';
import { ConcordError } from '../../shared/errors/index.js';
import { withEngineSession, type EngineCommandOptions } from './sync.js';

function parseTake(args: string[] | undefined): Take {
  const [kind, ...rest] = args ?? [];
  if (kind === 'left' || kind === 'right') return { take: kind };
  if (kind === 'value' && rest.length > 0) {
    const text = rest.join(' ');
    try {
      return { take: 'value', value: JSON.parse(text) as unknown };
    } catch {
      throw new ConcordError('CONCORD_ERR_ENGINE_RESOLUTION_FAILED', `--take value: expected a JSON value such as 42, "Oslo" or ["a","b"], found ${text}`);
    }
  }
  throw new ConcordError('CONCORD_ERR_ENGINE_RESOLUTION_FAILED', `--take: expected left, right or value <json>, found "${(args ?? []).join(' ')}"`);
}

function line(c: ConflictRecord): string {
  return `${c.id}  ${c.pair}  link ${c.linkId}  ${c.field}  left ${JSON.stringify(c.left)}  right ${JSON.stringify(c.right)}  opened ${c.openedAt}` +
    (c.fallbackDueAt ? `  fallback ${c.fallbackDueAt}` : '') + (c.state === 'resolved' ? `  resolved ${c.resolvedAt} (${c.resolution})` : '');
}

export function register(program: Command, options: EngineCommandOptions = {}): void {
  const conflicts = program.command('conflicts').description('the manual-conflict queue: list, show, resolve');
  conflicts
    .command('list')
    .description('open conflicts (with --all, resolved ones too)')
    .option('--pair <pair>', 'only this pair')
    .option('--all', 'include resolved conflicts')
    .option('--json', 'print as JSON')
    .action(async (opts: { pair?: string; all?: boolean; json?: boolean }, command: Command) => {
      await withEngineSession(command, options, async (session) => {
        const rows = await session.store.listConflicts({ ...(opts.pair ? { pair: opts.pair } : {}), ...(opts.all ? {} : { state: 'open' as const }) });
        if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else process.stdout.write(rows.length === 0 ? 'no conflicts\n' : `${rows.map(line).join('\n')}\n`);
      });
    });
  conflicts
    .command('show')
    .argument('<id>', 'conflict id')
    .description('one conflict with both values and the base')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withEngineSession(command, options, async (session) => {
        const c = await session.store.getConflict(id);
        if (!c) throw new ConcordError('CONCORD_ERR_ENGINE_CONFLICT_NOT_FOUND', `conflict ${id}: no such conflict; run \`concord conflicts list\``);
        process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
      });
    });
  conflicts
    .command('resolve')
    .argument('<id>', 'conflict id')
    .description('resolve a conflict: take the left value, the right value, or a value (in the left system\'s representation)')
    .requiredOption('--take <choice...>', 'left | right | value <json>')
    .action(async (id: string, opts: { take: string[] }, command: Command) => {
      const take = parseTake(opts.take);
      await withEngineSession(command, options, async (session) => {
        const c = await session.store.getConflict(id);
        if (!c) throw new ConcordError('CONCORD_ERR_ENGINE_CONFLICT_NOT_FOUND', `conflict ${id}: no such conflict; run \`concord conflicts list\``);
        const res = await resolveConflict(session.depsFor(c.pair), id, take);
        if (!res.ok) throw new ConcordError(res.code, res.message);
        process.stdout.write(`conflict ${id} resolved with ${JSON.stringify(res.value)}: ${res.writes} write(s) in batch ${res.batchId}\n`);
      });
    });
}
