/**
 * `concord audit report [--since] [--until] [--pair] [--format table|csv|json|html] [--out file]` and
 * `concord audit verify` (the hash chain: exit code 1 and the first broken row when it does not hold).
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatHtml } from '../../report/format-html.js';
import { formatCsv, formatJson, formatTable } from '../../report/format-text.js';
import { loadReportData } from '../../report/report-data.js';
import { ConcordError } from '../../shared/errors/index.js';
import { withEngineSession, type EngineCommandOptions } from './sync.js';

const formats = { table: formatTable, csv: formatCsv, json: formatJson, html: formatHtml } as const;

function isoOrThrow(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new ConcordError('CONCORD_ERR_ENGINE_REPORT_OPTION', `${flag}: expected an ISO-8601 time such as 2026-03-01 or 2026-03-01T09:00:00Z, found "${value}"`);
  return t.toISOString();
}

export function register(program: Command, options: EngineCommandOptions = {}): void {
  const audit = program.command('audit').description('audit log: reports and the hash-chain check');
  audit
    .command('report')
    .description('what Concord changed: table, CSV, JSON or a self-contained HTML report with charts')
    .option('--since <time>', 'changes at or after this ISO-8601 time')
    .option('--until <time>', 'changes before this time')
    .option('--pair <pair>', 'only this pair')
    .option('--format <format>', 'table | csv | json | html', 'table')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (opts: { since?: string; until?: string; pair?: string; format: string; out?: string }, command: Command) => {
      const format = formats[opts.format as keyof typeof formats];
      if (!Object.hasOwn(formats, opts.format) || !format) {
        throw new ConcordError('CONCORD_ERR_ENGINE_REPORT_OPTION', `--format: expected one of ${Object.keys(formats).join(', ')}, found "${opts.format}"`);
      }
      const since = isoOrThrow('--since', opts.since);
      const until = isoOrThrow('--until', opts.until);
      await withEngineSession(command, options, async (session) => {
        const data = await loadReportData(session.store, { ...(since ? { since } : {}), ...(until ? { until } : {}), ...(opts.pair ? { pair: opts.pair } : {}) }, session.clock.now());
        const text = format(data);
        if (opts.out) {
          await writeFile(opts.out, text, 'utf8');
          process.stdout.write(`${data.rows.length} audit rows written to ${opts.out}\n`);
        } else process.stdout.write(text);
      });
    });
  audit
    .command('verify')
    .description('check the audit log\'s hash chain: any edited, removed or reordered row is found')
    .action(async (_opts: unknown, command: Command) => {
      await withEngineSession(command, options, async (session) => {
        const v = await session.store.verifyAudit();
        if (v.ok) process.stdout.write(`ok: the audit chain of ${v.rows} rows holds\n`);
        else {
          process.stdout.write(`BROKEN at row ${v.seq} (${v.reason}): ${v.message}\n`);
          process.exitCode = 1;
        }
      });
    });
}
