import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorRegistry } from '../../../src/shared/errors/index.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** Rows of the README's error table: `| CONCORD_ERR_... | meaning | what to do |`. */
function readmeErrorRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const m = /^\|\s*`?(CONCORD_ERR_[A-Z0-9_]+)`?\s*\|(.*)\|\s*$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

/** A pipe inside a table cell is escaped as a backslash and a pipe. */
const cell = (text: string) => text.replaceAll('|', '\\|');

function tableRow(code: string): string {
  const def = errorRegistry[code]!;
  return `| \`${code}\` | ${cell(def.meaning)} | ${cell(def.action)} |`;
}

describe('error code registry and the README error table', () => {
  it('every registered code has a row in the README, with the same meaning and action', () => {
    const rows = readmeErrorRows();
    const missingOrStale = Object.keys(errorRegistry)
      .filter((code) => {
        const row = rows.get(code);
        const def = errorRegistry[code]!;
        return row === undefined || !row.includes(cell(def.meaning)) || !row.includes(cell(def.action));
      })
      .map(tableRow);
    expect(missingOrStale, `add or update these README rows:\n${missingOrStale.join('\n')}`).toEqual([]);
  });

  it('the README lists no code that the registry does not have', () => {
    const unknown = [...readmeErrorRows().keys()].filter((code) => !(code in errorRegistry));
    expect(unknown).toEqual([]);
  });

  it('codes follow CONCORD_ERR_<AREA>_<DETAIL> and every definition says what to do', () => {
    for (const [code, def] of Object.entries(errorRegistry)) {
      expect(code).toMatch(/^CONCORD_ERR_[A-Z]+_[A-Z0-9_]+$/);
      expect(def.meaning.length, code).toBeGreaterThan(10);
      expect(def.action.length, code).toBeGreaterThan(10);
    }
  });
});
