/**
 * `concord plan --pair P [--out plan.json]`: what a sync of the pair would do now (links made by matching,
 * creates, field updates, deletes, conflicts and how each is settled), writing nothing. `--out` keeps the plan,
 * with the record versions it saw, for `concord apply`.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { makePlan, type PlanDocument } from '../../engine/plan/plan-document.js';
import { withEngineSession, type EngineCommandOptions } from './sync.js';

function show(v: unknown): string {
  return v === undefined || v === null ? '(empty)' : JSON.stringify(v);
}

export function describePlan(doc: PlanDocument): string {
  const s = doc.summary;
  const lines = [
    `plan for ${doc.pair} at ${doc.createdAt}: ${s.links} links by matching, ${s.creates} creates, ${s.updates} updates ` +
      `(${s.fieldChanges} field changes), ${s.deletes} deletes, ${s.conflictsOpened} conflicts to open, ${s.conflictsSettled} to settle; ` +
      `${s.waiting} waiting, ${s.duplicates} duplicates, ${s.skipped} skipped`,
  ];
  for (const item of doc.items) {
    if (item.status === 'noop') continue;
    const link = item.newLink?.leftId && item.newLink.rightId ? ` link ${item.newLink.leftId} <-> ${item.newLink.rightId} (${item.newLink.matchKey})` : '';
    lines.push(`${item.status === 'changes' ? '~' : '!'} ${item.key} [${item.status}]${link}`);
    for (const w of item.writes) {
      lines.push(`    ${w.op} ${w.side} ${w.remoteId ?? '(new record)'}`);
      for (const c of w.changes) {
        lines.push(`      ${c.path}: ${show(c.old)} -> ${show(c.new)}  (${c.reason}${c.strategy ? `, ${c.strategy}` : ''})`);
      }
    }
    for (const c of item.conflictsToOpen) lines.push(`    conflict on ${c.fieldId}: left ${show(c.left)}, right ${show(c.right)}; held for an operator${c.fallbackDueAt ? ` until ${c.fallbackDueAt}, then the fallback applies` : ''}`);
    for (const c of item.conflictsToSettle) lines.push(`    conflict ${c.id} on ${c.fieldId} closes: ${c.resolution}`);
    for (const n of item.notes) lines.push(`    note: ${n}`);
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command, options: EngineCommandOptions = {}): void {
  program
    .command('plan')
    .description('show what a sync of a pair would do now, writing nothing')
    .requiredOption('--pair <pair>', 'the pair to plan')
    .option('--out <file>', 'write the plan as JSON for `concord apply`')
    .option('--json', 'print the plan as JSON')
    .action(async (opts: { pair: string; out?: string; json?: boolean }, command: Command) => {
      await withEngineSession(command, options, async (session) => {
        const doc = await makePlan(session.depsFor(opts.pair));
        if (opts.out) await writeFile(opts.out, `${JSON.stringify(doc, null, 2)}\n`, 'utf8');
        process.stdout.write(opts.json ? `${JSON.stringify(doc, null, 2)}\n` : describePlan(doc));
        if (opts.out) process.stdout.write(`plan written to ${opts.out}; carry it out with \`concord apply ${opts.out}\`\n`);
      });
    });
}
