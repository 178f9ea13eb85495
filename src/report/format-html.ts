/**
 * The HTML audit report: one self-contained file (inline CSS and SVG, no scripts, no external assets) that an
 * operator can open from an email or a ticket. It leads with a summary in plain words, then charts (changes per
 * pair per day, top fields), what needs attention (failed writes, open conflicts), conflicts settled, and the rows.
 */
import { showValue, summarise, type ReportData } from './report-data.js';

const palette = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#be185d', '#4d7c0f'];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Stacked bars: one bar per day, one colour per pair. */
function perPairChart(perPairPerDay: Map<string, Map<string, number>>): string {
  const pairs = [...perPairPerDay.keys()].sort();
  const days = [...new Set(pairs.flatMap((p) => [...perPairPerDay.get(p)!.keys()]))].sort();
  if (days.length === 0) return '<p class="muted">No changes in this period.</p>';
  const totals = days.map((d) => pairs.reduce((n, p) => n + (perPairPerDay.get(p)!.get(d) ?? 0), 0));
  const max = Math.max(...totals);
  const barW = Math.max(8, Math.min(48, Math.floor(640 / days.length) - 4));
  const width = 60 + days.length * (barW + 4);
  const height = 200;
  const plotH = 150;
  const parts: string[] = [
    `<line x1="50" y1="${plotH + 10}" x2="${width}" y2="${plotH + 10}" stroke="#999"/>`,
    `<text x="45" y="20" text-anchor="end" class="axis">${max}</text>`,
    `<text x="45" y="${plotH + 10}" text-anchor="end" class="axis">0</text>`,
  ];
  days.forEach((day, i) => {
    const x = 56 + i * (barW + 4);
    let y = plotH + 10;
    pairs.forEach((p, pi) => {
      const n = perPairPerDay.get(p)!.get(day) ?? 0;
      if (n === 0) return;
      const h = (n / max) * plotH;
      y -= h;
      parts.push(`<rect x="${x}" y="${y.toFixed(1)}" width="${barW}" height="${h.toFixed(1)}" fill="${palette[pi % palette.length]}"><title>${escapeHtml(`${p} ${day}: ${n}`)}</title></rect>`);
    });
    if (days.length <= 16 || i % Math.ceil(days.length / 16) === 0) {
      parts.push(`<text x="${x + barW / 2}" y="${plotH + 26}" text-anchor="middle" class="axis">${day.slice(5)}</text>`);
    }
  });
  const legend = pairs.map((p, i) => `<span class="key"><i style="background:${palette[i % palette.length]}"></i>${escapeHtml(p)}</span>`).join(' ');
  return `<svg role="img" aria-label="changes per pair per day" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg><div>${legend}</div>`;
}

function topFieldsChart(top: Array<{ key: string; count: number }>): string {
  if (top.length === 0) return '<p class="muted">No field changes.</p>';
  const max = Math.max(...top.map((t) => t.count));
  const rowH = 22;
  const bars = top.map((t, i) => {
    const w = Math.max(2, (t.count / max) * 300);
    const y = i * rowH;
    return `<text x="0" y="${y + 15}" class="axis">${escapeHtml(t.key.length > 44 ? `${t.key.slice(0, 43)}…` : t.key)}</text>` +
      `<rect x="290" y="${y + 4}" width="${w.toFixed(1)}" height="14" fill="${palette[0]}"/>` +
      `<text x="${(296 + w).toFixed(1)}" y="${y + 15}" class="axis">${t.count}</text>`;
  }).join('');
  return `<svg role="img" aria-label="top changed fields" width="660" height="${top.length * rowH}" viewBox="0 0 660 ${top.length * rowH}">${bars}</svg>`;
}

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const css = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1f2937}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.25rem}
.cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #e5e7eb;border-radius:6px;padding:.6rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.4rem}.warn b{color:#b91c1c}.muted{color:#6b7280}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{border-bottom:1px solid #f3f4f6;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f9fafb}.axis{font-size:11px;fill:#4b5563}.key{margin-right:1rem;font-size:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px}`;

export function formatHtml(data: ReportData): string {
  const s = summarise(data);
  const period = `${data.filter.since ?? 'the beginning'} to ${data.filter.until ?? data.generatedAt}`;
  const card = (label: string, value: number, warn = false) => `<div class="card${warn && value > 0 ? ' warn' : ''}"><b>${value}</b>${escapeHtml(label)}</div>`;
  const plain = `In ${escapeHtml(period)}${data.filter.pair ? ` for pair ${escapeHtml(data.filter.pair)}` : ''}, Concord changed ${s.changes} field values ` +
    `on ${s.records} records. ${s.conflictsSettled} changes settled a conflict where both sides had changed. ` +
    `${s.failures} writes failed and ${s.openConflicts} conflicts wait for an operator` +
    `${s.failures + s.openConflicts > 0 ? ' (listed under "Needs attention")' : ''}.`;
  const conflicts = data.rows.filter((r) => r.reason === 'conflict' || r.reason === 'manual-resolution');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Concord audit report</title><style>${css}</style></head><body>
<h1>Concord audit report</h1><p class="muted">Generated ${escapeHtml(data.generatedAt)}. Period: ${escapeHtml(period)}.</p>
<p>${plain}</p>
<div class="cards">${card('field changes', s.changes)}${card('records touched', s.records)}${card('conflicts settled', s.conflictsSettled)}${
  card('created', s.byReason.created ?? 0)}${card('deleted', s.byReason.deleted ?? 0)}${card('rolled back', s.byReason.rollback ?? 0)}${
  card('failed writes', s.failures, true)}${card('open conflicts', s.openConflicts, true)}</div>
<h2>Changes per pair over time</h2>${perPairChart(s.perPairPerDay)}
<h2>Most changed fields</h2>${topFieldsChart(s.topFields)}
<h2>Needs attention</h2><h3>Failed writes</h3>${table(['time', 'pair', 'system', 'record', 'op', 'state', 'error', 'batch'],
  data.failures.map((f) => [f.updatedAt, f.pair, `${f.system}:${f.object}`, f.remoteId ?? '(new)', f.op, f.state, f.error ?? '', f.batchId]))}
<h3>Open conflicts (resolve with <code>concord conflicts resolve ID --take left|right|value</code>)</h3>${table(['id', 'pair', 'field', 'left', 'right', 'opened', 'fallback due'],
  data.openConflicts.map((c) => [c.id, c.pair, c.field, showValue(c.left), showValue(c.right), c.openedAt, c.fallbackDueAt ?? 'never']))}
<h2>Conflicts settled</h2>${table(['time', 'pair', 'record', 'field', 'old', 'new', 'how', 'batch'],
  conflicts.map((r) => [r.time, r.pair, `${r.system}:${r.object}/${r.record}`, r.field, showValue(r.old), showValue(r.new), r.strategy ?? r.reason, r.batchId]))}
<h2>All changes</h2>${table(['seq', 'time', 'pair', 'record', 'field', 'old', 'new', 'reason', 'batch'],
  data.rows.map((r) => [String(r.seq), r.time, r.pair, `${r.system}:${r.object}/${r.record}`, r.field, showValue(r.old), showValue(r.new), r.strategy ? `${r.reason} (${r.strategy})` : r.reason, r.batchId]))}
</body></html>
`;
}
