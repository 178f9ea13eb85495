/**
 * The plain formats of `concord audit report`: an aligned table for a terminal, CSV (RFC 4180 quoting) for a
 * spreadsheet, JSON for other tools.
 */
import type { ReportData } from './report-data.js';
import { showValue, summarise } from './report-data.js';

const columns = ['seq', 'time', 'pair', 'system', 'object', 'record', 'field', 'old', 'new', 'reason', 'strategy', 'batch'] as const;

function cells(data: ReportData): string[][] {
  return data.rows.map((r) => [
    String(r.seq), r.time, r.pair, r.system, r.object, r.record, r.field, showValue(r.old), showValue(r.new), r.reason, r.strategy ?? '', r.batchId,
  ]);
}

function clip(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function formatTable(data: ReportData): string {
  const s = summarise(data);
  const rows = cells(data).map((r) => r.map((c) => clip(c, 40)));
  const widths = columns.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  out.push('', `${s.changes} changes to ${s.records} records; conflicts settled: ${s.conflictsSettled}; failed writes: ${s.failures}; open conflicts: ${s.openConflicts}`);
  return `${out.join('\n')}\n`;
}

function csvCell(c: string): string {
  return /[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
}

export function formatCsv(data: ReportData): string {
  return [columns.join(','), ...cells(data).map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

export function formatJson(data: ReportData): string {
  const s = summarise(data);
  return `${JSON.stringify({
    generatedAt: data.generatedAt,
    filter: data.filter,
    summary: {
      changes: s.changes, records: s.records, byReason: s.byReason, topFields: s.topFields,
      perPairPerDay: Object.fromEntries([...s.perPairPerDay].map(([p, d]) => [p, Object.fromEntries(d)])),
      conflictsSettled: s.conflictsSettled, failures: s.failures, openConflicts: s.openConflicts,
    },
    rows: data.rows,
    failures: data.failures,
    openConflicts: data.openConflicts,
  }, null, 2)}\n`;
}
