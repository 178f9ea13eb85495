/**
 * Whatever an admin saves, validation answers with problems located inside the file, never a crash:
 * fast-check mutates a valid mapping line by line (drops, duplicates, re-indents, retypes values).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMappingFile } from '../../../src/config/mapping-file.js';

const valid = readFileSync('mappings/hubspot-mailchimp.contacts.yaml', 'utf8');
const lines = valid.split('\n');

const edit = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.constantFrom(' ', '\t', '  - ') }),
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), to: fc.constantFrom('', '[]', '{}', '1', 'null', '*x', '&x', '!!binary', '"', '__proto__: 1', '${X}') }),
);

function apply(source: string[], edits: Array<{ kind: string; at: number; by?: string; to?: string }>): string {
  const out = [...source];
  for (const e of edits) {
    const i = e.at % Math.max(out.length, 1);
    if (e.kind === 'drop') out.splice(i, 1);
    else if (e.kind === 'repeat') out.splice(i, 0, out[i] ?? '');
    else if (e.kind === 'indent') out[i] = `${e.by}${out[i] ?? ''}`;
    else out[i] = (out[i] ?? '').replace(/:\s.*$/, `: ${e.to}`);
  }
  return out.join('\n');
}

describe('parseMappingFile on damaged files', () => {
  it('never throws, and every problem points inside the file', () => {
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      const text = apply(lines, edits);
      const result = parseMappingFile('hubspot-mailchimp.contacts.yaml', text, {});
      const lineCount = text.split('\n').length;
      for (const p of result.problems) {
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.line).toBeLessThanOrEqual(lineCount);
        expect(p.col).toBeGreaterThanOrEqual(1);
        expect(p.code).toMatch(/^CONCORD_ERR_[A-Z]+_[A-Z0-9_]+$/);
        expect(p.message.length).toBeGreaterThan(10);
      }
      expect(result.mapping === undefined || result.problems.length > 0 || result.compiled !== undefined).toBe(true);
    }), { numRuns: 300 });
  });

  it('the undamaged file has no problems', () => {
    expect(parseMappingFile('hubspot-mailchimp.contacts.yaml', valid, {}).problems).toEqual([]);
  });
});
