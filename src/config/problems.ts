/**
 * A problem found in a config or mapping file, located at the node an admin has to edit.
 * Validation collects problems as values (never throws for a bad file) so that one run reports all of them.
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
}

/** What `concord validate` prints: `file:line:col  CODE  message` (warnings say so before the message). */
export function formatProblem(p: Problem): string {
  const prefix = p.severity === 'warning' ? 'warning: ' : '';
  return `${p.file}:${p.line}:${p.col}  ${p.code}  ${prefix}${p.message}`;
}

/** Problems sorted by file, then position, so that output reads top to bottom. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1);
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
