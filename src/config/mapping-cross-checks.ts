/**
 * Checks across mapping files and the daemon config: systems exist, pair names are unique, lookups name
 * a pair, and no field of a system object is written by two pairs unless exactly one of them owns it.
 */
import { formatPath } from './data-path.js';
import type { DaemonConfig } from './daemon-config-schema.js';
import { didYouMean } from './did-you-mean.js';
import type { LoadedMappingFile } from './mapping-file.js';
import type { MappingField, MappingFile, TransformSpec } from './mapping-schema.js';
import type { Problem } from './problems.js';
import { offsetOfPath, problemAt, type YamlSource } from './yaml-source.js';

type Parsed = LoadedMappingFile & { mapping: MappingFile };

/** `config` undefined: the daemon config did not load, so system names cannot be checked. */
export function checkMappingSet(files: readonly LoadedMappingFile[], config: DaemonConfig | undefined): Problem[] {
  const parsed = files.filter((f): f is Parsed => f.mapping !== undefined);
  return [
    ...(config ? checkSystems(parsed, config) : []),
    ...checkPairNames(parsed),
    ...checkLookups(parsed),
    ...checkWriters(parsed),
  ];
}

function at(source: YamlSource, path: readonly PropertyKey[], detail: string, message: string, atKey = false): Problem {
  return problemAt(source, offsetOfPath(source, path, atKey), detail, message);
}

function where(source: YamlSource, path: readonly PropertyKey[]): string {
  const { line, col } = source.lines.linePos(offsetOfPath(source, path));
  return `${source.file}:${line}:${col}`;
}

function checkSystems(files: readonly Parsed[], config: DaemonConfig): Problem[] {
  const known = Object.keys(config.systems);
  return files.flatMap(({ source, mapping }) => (['left', 'right'] as const)
    .filter((side) => !Object.hasOwn(config.systems, mapping[side].system))
    .map((side) => at(source, [side, 'system'], 'UNKNOWN_SYSTEM',
      `${side}.system: "${mapping[side].system}" is not a system of the daemon config${didYouMean(mapping[side].system, known)}; configured systems: ${known.join(', ') || 'none'} (add it under systems, with enabled: false to keep it off)`)));
}

function checkPairNames(files: readonly Parsed[]): Problem[] {
  const first = new Map<string, Parsed>();
  const problems: Problem[] = [];
  for (const file of files) {
    const earlier = first.get(file.mapping.pair);
    if (!earlier) {
      first.set(file.mapping.pair, file);
      continue;
    }
    problems.push(at(file.source, ['pair'], 'DUPLICATE_PAIR',
      `pair "${file.mapping.pair}" is already declared in ${where(earlier.source, ['pair'])}: pair names must be unique, because links, audit and rollback are keyed by them`));
  }
  return problems;
}

function lookupsOf(spec: TransformSpec | undefined): Array<{ index?: number; pair: string }> {
  if (spec === undefined) return [];
  if (!Array.isArray(spec)) return typeof spec === 'object' && spec.lookup ? [{ pair: spec.lookup }] : [];
  return spec.flatMap((one, index) => (typeof one === 'object' && one.lookup ? [{ index, pair: one.lookup }] : []));
}

function checkLookups(files: readonly Parsed[]): Problem[] {
  const pairs = files.map((f) => f.mapping.pair);
  return files.flatMap(({ source, mapping }) => mapping.fields.flatMap((field, i) =>
    lookupsOf(field.transform)
      .filter((lookup) => !pairs.includes(lookup.pair))
      .map((lookup) => {
        const path = ['fields', i, 'transform', ...(lookup.index === undefined ? [] : [lookup.index]), 'lookup'];
        return at(source, path, 'UNKNOWN_LOOKUP',
          `${formatPath(path)}: no mapping file declares pair "${lookup.pair}"${didYouMean(lookup.pair, pairs)}; declared pairs: ${pairs.join(', ')}`);
      })));
}

interface Writer { file: Parsed; index: number; side: 'left' | 'right'; field: MappingField }

function writtenSides(field: MappingField): Array<'left' | 'right'> {
  if (field.direction === 'both') return ['left', 'right'];
  return [field.direction === 'left-to-right' ? 'right' : 'left'];
}

/** Two pairs writing one field overwrite each other forever; `owner: true` on exactly one says who wins. */
function checkWriters(files: readonly Parsed[]): Problem[] {
  const writers = new Map<string, Writer[]>();
  for (const file of files) {
    file.mapping.fields.forEach((field, index) => {
      for (const side of writtenSides(field)) {
        const { system, object } = file.mapping[side];
        const key = `${system}\u0000${object}\u0000${field[side]}`;
        writers.set(key, [...(writers.get(key) ?? []), { file, index, side, field }]);
      }
    });
  }
  const problems: Problem[] = [];
  for (const list of writers.values()) {
    if (new Set(list.map((w) => w.file.mapping.pair)).size < 2) continue; // one pair: the compiler checks it
    const owners = list.filter((w) => w.field.owner === true);
    if (owners.length === 1) continue;
    const [first, ...rest] = list;
    for (const writer of rest) {
      const { system, object } = writer.file.mapping[writer.side];
      const ownerNote = owners.length > 1 ? ` (${owners.length} of them say owner: true; exactly one may)` : '';
      problems.push(at(writer.file.source, ['fields', writer.index, writer.side], 'CONFLICTING_WRITERS',
        `fields[${writer.index}].${writer.side}: ${system} ${object} field "${writer.field[writer.side]}" is also written by pair "${first!.file.mapping.pair}" (${where(first!.file.source, ['fields', first!.index, first!.side])})${ownerNote}: two pairs writing one field overwrite each other; make one of them read-only for it (direction), or mark exactly one owner: true`));
    }
  }
  return problems;
}
