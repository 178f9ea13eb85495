/**
 * `concord rollback --batch ID | --since TIME [--until TIME] [--pair P] | --link ID [--dry-run]`: undoes Concord's
 * writes through the journal, newest first, only where the target still holds what Concord wrote.
 */
import type { Command } from 'commander';
import { rollback, type RollbackReport, type RollbackSelector } from '../../engine/rollback/rollback.js';
import { ConcordError } from '../../shared/errors/index.js';
import { asBatchId, asLinkId } from '../../shared/ids.js';
import { withEngineSession, type EngineCommandOptions } from './sync.js';

interface RollbackOptions { batch?: string; since?: string; until?: string; pair?: string; link?: string; dryRun?: boolean; json?: boolean }

function isoOrThrow(flag: string, value: string): string {
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new ConcordError('CONCORD_ERR_ENGINE_ROLLBACK_SELECTION', `${flag}: expected an ISO-8601 time such as 2026-03-01T09:00:00Z, found "${value}"`);
  return t.toISOString();
}

function print(pair: string, r: RollbackReport): void {
  process.stdout.write(`${pair}: ${r.dryRun ? 'would undo' : 'undid'} ${r.undone.length} record(s)${r.batchId ? ` in rollback batch ${r.batchId}` : ''}; ` +
    `${r.changedSince.length} changed since, ${r.cannotUndo.length} cannot be undone, ${r.undecided.length} undecided, ${r.failed.length} failed\n`);
  for (const u of r.undone) {
    process.stdout.write(`  ${u.op === 'delete' ? 'delete' : 'restore'} ${u.system}/${u.record}${u.fields.map((f) => ` ${f.key}: ${JSON.stringify(f.now)} -> ${JSON.stringify(f.restored)}`).join(',')}\n`);
  }
  for (const c of r.changedSince) process.stdout.write(`  changed since: ${c.system}/${c.record} (${c.fields.join(', ')}), journal ${c.journalId}: left alone\n`);
  for (const c of r.cannotUndo) process.stdout.write(`  cannot undo: ${c.system}/${c.record}, journal ${c.journalId}: ${c.why}\n`);
  for (const c of r.undecided) process.stdout.write(`  undecided: ${c.op} on ${c.system}/${c.record ?? '(no id known)'}, journal ${c.journalId}: ${c.why}\n`);
  for (const f of r.failed) process.stdout.write(`  failed: ${f.record}: ${f.errors.join('; ')}\n`);
}

export function register(program: Command, options: EngineCommandOptions = {}): void {
  program
    .command('rollback')
    .description('undo Concord\'s writes of a batch, a time range or one link, where the target still holds what Concord wrote')
    .option('--batch <id>', 'a batch id (from sync, apply, rollback or the audit report)')
    .option('--since <time>', 'writes at or after this ISO-8601 time')
    .option('--until <time>', 'with --since: writes before this time')
    .option('--pair <pair>', 'with --since: only this pair')
    .option('--link <id>', 'every write to the records of one link')
    .option('--dry-run', 'show what would be undone, write nothing')
    .option('--json', 'print the report as JSON')
    .action(async (opts: RollbackOptions, command: Command) => {
      const chosen = [opts.batch, opts.since, opts.link].filter((v) => v !== undefined).length;
      if (chosen !== 1) {
        throw new ConcordError('CONCORD_ERR_ENGINE_ROLLBACK_SELECTION', `rollback: expected exactly one of --batch, --since or --link, found ${chosen}`);
      }
      await withEngineSession(command, options, async (session) => {
        let targets: Array<{ pair: string; selector: RollbackSelector }>;
        if (opts.batch) {
          const batch = (await session.store.listBatches()).find((b) => b.id === opts.batch);
          if (!batch) throw new ConcordError('CONCORD_ERR_ENGINE_ROLLBACK_SELECTION', `--batch ${opts.batch}: no such batch; the audit report lists batch ids`);
          targets = [{ pair: batch.pair, selector: { batchId: asBatchId(opts.batch) } }];
        } else if (opts.link) {
          const link = await session.store.getLink(asLinkId(opts.link));
          if (!link) throw new ConcordError('CONCORD_ERR_ENGINE_ROLLBACK_SELECTION', `--link ${opts.link}: no such link; \`concord explain\` and the audit report show link ids`);
          targets = [{ pair: link.pair, selector: { linkId: link.id } }];
        } else {
          const since = isoOrThrow('--since', opts.since!);
          const until = opts.until ? isoOrThrow('--until', opts.until) : undefined;
          const pairs = opts.pair ? [opts.pair] : [...session.mappings.keys()].sort();
          targets = pairs.map((pair) => ({ pair, selector: until ? { since, until } : { since } }));
        }
        let bad = false;
        for (const t of targets) {
          const report = await rollback(session.depsFor(t.pair), t.selector, { dryRun: opts.dryRun === true });
          if (opts.json) process.stdout.write(`${JSON.stringify({ pair: t.pair, ...report }, null, 2)}\n`);
          else print(t.pair, report);
          if (report.failed.length > 0 || report.changedSince.length > 0 || report.undecided.length > 0) bad = true;
        }
        if (bad) process.exitCode = 1;
      });
    });
}
