/**
 * Checks of one schema-valid mapping file that need more than its shape: the file name agrees with the
 * content, cron schedules are valid, JSONata compiles, and JSONata stays on one-way fields.
 */
import { basename } from 'node:path';
import jsonata from 'jsonata';
import cron from 'node-cron';
import { formatPath } from './data-path.js';
import type { MappingFile, TransformSpec } from './mapping-schema.js';
import type { Problem } from './problems.js';
import { isScalar } from 'yaml';
import { nodeAtPath, offsetOfPath, problemAt, type YamlSource } from './yaml-source.js';

/**
 * The file-name rule: `<left.system>-<right.system>.<object>.yaml`, where `<object>` is a short name the
 * admin chooses for the records the pair syncs (`contacts`, `stock`, `events`): lowercase letters, digits,
 * `-` and `_`. System ids have no separators, so the name always splits one way.
 */
export const mappingFileNamePattern = /^([a-z][a-z0-9]*)-([a-z][a-z0-9]*)\.([a-z0-9][a-z0-9_-]*)\.yaml$/;

/** Problems of one file, and the paths (formatted) of the JSONata values they are about. */
export function checkMappingFile(source: YamlSource, mapping: MappingFile): { problems: Problem[]; jsonataPaths: Set<string> } {
  const jsonata = checkJsonata(source, mapping);
  return {
    problems: [...checkFileName(source, mapping), ...checkSchedules(source, mapping), ...jsonata.problems],
    jsonataPaths: jsonata.reported,
  };
}

function checkFileName(source: YamlSource, mapping: MappingFile): Problem[] {
  const name = basename(source.file);
  const expected = `${mapping.left.system}-${mapping.right.system}.<object>.yaml`;
  const parts = mappingFileNamePattern.exec(name);
  if (!parts) {
    return [problemAt(source, 0, 'FILE_NAME',
      `the file name "${name}" does not follow <left system>-<right system>.<object>.yaml: expected ${expected}, where <object> is lowercase letters, digits, - or _`)];
  }
  for (const [side, index] of [['left', 1], ['right', 2]] as const) {
    const inName = parts[index]!;
    if (inName !== mapping[side].system) {
      return [problemAt(source, offsetOfPath(source, [side, 'system']), 'FILE_NAME',
        `the file name "${name}" says ${side} system "${inName}" but ${side}.system is "${mapping[side].system}": rename the file to ${mapping.left.system}-${mapping.right.system}.${parts[3]}.yaml or fix ${side}.system`)];
    }
  }
  return [];
}

function checkSchedules(source: YamlSource, mapping: MappingFile): Problem[] {
  const problems: Problem[] = [];
  for (const key of ['poll', 'reconcile'] as const) {
    const result = cron.validateDetailed(mapping[key]);
    if (result.valid) continue;
    const reason = result.errors.map((e) => e.message.replace(' a invalid ', ' an invalid ')).join('; ');
    problems.push(problemAt(source, offsetOfPath(source, [key]), 'BAD_CRON',
      `${key}: "${mapping[key]}" is not a valid cron expression (${reason}): expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. "*/5 * * * *"`));
  }
  return problems;
}

function checkJsonata(source: YamlSource, mapping: MappingFile): { problems: Problem[]; reported: Set<string> } {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const compile = (path: (string | number)[], text: string): void => {
    try {
      jsonata(text);
    } catch (error) {
      reported.add(formatPath(path));
      const e = error as { message?: string; position?: number };
      const where = e.position === undefined ? '' : ` at character ${e.position}`;
      problems.push(problemAt(source, offsetInExpression(source, path, text, e.position), 'BAD_JSONATA',
        `${formatPath(path)}: the JSONata expression does not compile${where}: ${e.message ?? String(error)}`));
    }
  };
  for (const side of ['left', 'right'] as const) {
    const text = mapping.filter?.[side];
    if (text !== undefined) compile(['filter', side], text);
  }
  mapping.fields.forEach((field, i) => {
    for (const { path, text } of jsonataTransforms(field.transform, ['fields', i, 'transform'])) {
      compile(path, text);
      if (field.direction === 'both') {
        reported.add(formatPath(path));
        problems.push(problemAt(source, offsetOfPath(source, path), 'JSONATA_TWO_WAY',
          `fields[${i}]: a jsonata transform cannot be inverted, so it is allowed only on a one-way field: set direction to left-to-right or right-to-left`));
      }
    }
  });
  return { problems, reported };
}

/**
 * JSONata reports the 1-based position of the token it choked on; where the expression is written on
 * one line without escapes, point at that character, otherwise at the start of the value.
 */
function offsetInExpression(source: YamlSource, path: (string | number)[], text: string, position: number | undefined): number {
  const node = nodeAtPath(source, path);
  const start = offsetOfPath(source, path);
  if (position === undefined || !isScalar(node) || node.range === undefined || node.range === null) return start;
  const contentStart = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? start + 1 : start;
  if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL' || source.text.slice(contentStart, contentStart + text.length) !== text) return start;
  return contentStart + Math.min(Math.max(position, 1), text.length) - 1;
}

function jsonataTransforms(spec: TransformSpec | undefined, at: (string | number)[]): Array<{ path: (string | number)[]; text: string }> {
  if (spec === undefined) return [];
  const list = Array.isArray(spec) ? spec : [spec];
  return list.flatMap((one, i) => {
    const path = Array.isArray(spec) ? [...at, i, 'jsonata'] : [...at, 'jsonata'];
    return typeof one === 'object' && one.jsonata !== undefined ? [{ path, text: one.jsonata }] : [];
  });
}
