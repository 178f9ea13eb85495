/**
 * `concord apply plan.json`: carries out exactly the plan `concord plan --out` wrote, refusing the items whose
 * records changed since (exit code 1 when any was refused).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { applyPlan, parsePlanDocument } from '../../engine/plan/plan-document.js';
import { withEngineSession, type EngineCommandOptions } from './sync.js';

export function register(program: Command, options: EngineCommandOptions = {}): void {
  program
    .command('apply')
    .description('carry out a plan written by `concord plan --out`, refusing records changed since')
    .argument('<plan>', 'the plan file')
    .action(async (file: string, _opts: unknown, command: Command) => {
      const doc = parsePlanDocument(await readFile(file, 'utf8'), file);
      await withEngineSession(command, options, async (session) => {
        const report = await applyPlan(session.depsFor(doc.pair), doc);
        process.stdout.write(`${doc.pair}: ${report.applied.length} applied${report.batchId ? ` in batch ${report.batchId}` : ''}, ${report.refused.length} refused\n`);
        for (const r of report.refused) process.stdout.write(`  refused ${r.key}: ${r.why}\n`);
        if (report.refused.length > 0) process.exitCode = 1;
      });
    });
}
