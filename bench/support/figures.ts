/**
 * What a benchmark reports: figures with a unit, and where the run measured a baseline, that baseline and
 * the ratio of the figure to it. Every benchmark returns figures; `run.ts` prints them as one markdown table
 * and writes them to `bench/results/latest.json`.
 */
import type { StoreDialect } from '../../src/store/database.js';

export interface Figure {
  /** The benchmark that measured it, e.g. `initial-sync`. */
  bench: string;
  /** What was measured, e.g. `records/s end to end [sqlite]`. */
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same run (or a published limit). */
  baseline?: { name: string; value: number };
  /** value / baseline.value, or the ratio the benchmark defines (named in `name`). */
  ratio?: number;
  /** Short reading: what the figure says, or why it is what it is. */
  note?: string;
}

export interface BenchOptions {
  quick: boolean;
  dialects: readonly StoreDialect[];
  /** Progress lines go here (stderr), never into the table. */
  say(line: string): void;
}

export interface Benchmark {
  name: string;
  /** What it measures, for `--list`. */
  title: string;
  /** Whether the figures differ by store dialect (1-4): run once per dialect. */
  perDialect: boolean;
  run(options: BenchOptions, dialect: StoreDialect | undefined): Promise<Figure[]>;
}

const fmt = (n: number): string => {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: abs >= 100 ? 0 : abs >= 1 ? 2 : 3 });
};

export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    `${f.bench}: ${f.name}`, fmt(f.value), f.unit,
    f.baseline ? `${fmt(f.baseline.value)} (${f.baseline.name})` : '',
    f.ratio !== undefined ? fmt(f.ratio) : '',
  ]);
  const head = ['figure', 'value', 'unit', 'baseline', 'ratio'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
