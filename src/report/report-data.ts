/**
 * What an audit report shows, gathered once from the store: the audit rows in the window, the writes that failed,
 * and the conflicts still open. Every format (table, CSV, JSON, HTML) renders this same data.
 */
import type { AuditRecord, ConflictRecord, EngineStore, JournalEntry } from '../engine/state/engine-store.js';

export interface ReportFilter {
  since?: string;
  until?: string;
  pair?: string;
}

export interface ReportData {
  generatedAt: string;
  filter: ReportFilter;
  rows: AuditRecord[];
  failures: JournalEntry[];
  openConflicts: ConflictRecord[];
}

export async function loadReportData(store: EngineStore, filter: ReportFilter, now: Date): Promise<ReportData> {
  const rows = await store.listAudit({ ...filter });
  const failures = await store.listJournal({
    states: ['failed', 'unknown'],
    ...(filter.since ? { since: filter.since } : {}), ...(filter.until ? { until: filter.until } : {}), ...(filter.pair ? { pair: filter.pair } : {}),
  });
  const openConflicts = await store.listConflicts({ state: 'open', ...(filter.pair ? { pair: filter.pair } : {}) });
  return { generatedAt: now.toISOString(), filter, rows, failures, openConflicts };
}

export interface ReportSummary {
  changes: number;
  records: number;
  byReason: Record<string, number>;
  /** pair -> day (YYYY-MM-DD) -> changes */
  perPairPerDay: Map<string, Map<string, number>>;
  topFields: Array<{ key: string; count: number }>;
  conflictsSettled: number;
  failures: number;
  openConflicts: number;
}

export function summarise(data: ReportData, topN = 10): ReportSummary {
  const byReason: Record<string, number> = {};
  const perPairPerDay = new Map<string, Map<string, number>>();
  const fields = new Map<string, number>();
  const records = new Set<string>();
  for (const r of data.rows) {
    byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    const day = r.time.slice(0, 10);
    const days = perPairPerDay.get(r.pair) ?? new Map<string, number>();
    days.set(day, (days.get(day) ?? 0) + 1);
    perPairPerDay.set(r.pair, days);
    const key = `${r.system}:${r.object}.${r.field}`;
    fields.set(key, (fields.get(key) ?? 0) + 1);
    records.add(`${r.system}:${r.object}/${r.record}`);
  }
  const topFields = [...fields.entries()].map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, topN);
  return {
    changes: data.rows.length, records: records.size, byReason, perPairPerDay, topFields,
    conflictsSettled: byReason.conflict ?? 0, failures: data.failures.length, openConflicts: data.openConflicts.length,
  };
}

/** A value as one line of text for tables and CSV. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
