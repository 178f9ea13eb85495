/**
 * `compileMapping`: a validated mapping file (src/config/mapping-schema.ts) becomes what the engine runs
 * (src/mapping/compiled-types.ts): paths checked, transforms, match normalisers and filters bound, durations
 * parsed, and a field refused where it would flap (a two-way field whose transform does not round-trip) or where
 * its strategy cannot handle its values. Every problem is reported, not only the first, each with the path of the
 * node in the mapping document so the loader can show file:line:col.
 */
import type { MappingFile } from '../config/mapping-schema.js';
import { asSystemId } from '../shared/ids.js';
import type { CompiledField, CompiledMapping, CompiledSide, MatchRule, Side } from './compiled-types.js';
import { compileField } from './compile-field.js';
import { parsePath } from './field-path.js';
import { bindFilter } from './filter.js';
import { matchNormalizers } from './match-normalizers.js';
import type { MappingProblem } from './problems.js';
import { compileExpression } from './transforms/jsonata.js';

export type { MappingProblem } from './problems.js';

export type CompileResult = { ok: true; mapping: CompiledMapping } | { ok: false; problems: MappingProblem[] };

function compileSide(side: MappingFile['left']): CompiledSide {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(side.params ?? {})) params[k] = String(v);
  return Object.freeze({ system: asSystemId(side.system), object: side.object, params: Object.freeze(params) });
}

function compileMatch(file: MappingFile, problems: MappingProblem[]): MatchRule[] {
  const keys = Array.isArray(file.match) ? file.match : [file.match];
  return keys.map((key, i) => {
    const at: (string | number)[] = Array.isArray(file.match) ? ['match', i] : ['match'];
    for (const side of ['left', 'right'] as const) {
      const parsed = parsePath(key[side]);
      if (!parsed.ok) problems.push({ path: [...at, side], code: 'CONCORD_ERR_TRANSFORM_BAD_PATH', message: parsed.message });
    }
    const normalizeName = key.normalize ?? 'exact';
    return { left: key.left, right: key.right, normalize: matchNormalizers[normalizeName], normalizeName };
  });
}

/** Two fields writing one path on one side would overwrite each other; reading one path twice is fine. */
function checkDuplicateTargets(file: MappingFile, problems: MappingProblem[]): void {
  for (const side of ['left', 'right'] as const) {
    const writerDirection = side === 'right' ? 'left-to-right' : 'right-to-left';
    const firstWriter = new Map<string, number>();
    file.fields.forEach((field, i) => {
      if (field.direction !== 'both' && field.direction !== writerDirection) return;
      const earlier = firstWriter.get(field[side]);
      if (earlier === undefined) {
        firstWriter.set(field[side], i);
        return;
      }
      problems.push({
        path: ['fields', i, side],
        code: 'CONCORD_ERR_TRANSFORM_DUPLICATE_TARGET',
        message: `fields ${earlier} and ${i} both write ${side} path ${field[side]}; keep one of them or point them at different paths`,
      });
    });
  }
}

function compileFilters(file: MappingFile, source: { file: string }, problems: MappingProblem[]): CompiledMapping['filter'] {
  const filter: Partial<Record<Side, (fields: Record<string, unknown>) => Promise<boolean>>> = {};
  for (const side of ['left', 'right'] as const) {
    const text = file.filter?.[side];
    if (text === undefined) continue;
    const compiled = compileExpression(text);
    if (!compiled.ok) {
      problems.push({ path: ['filter', side], code: 'CONCORD_ERR_TRANSFORM_JSONATA_SYNTAX', message: compiled.message });
      continue;
    }
    filter[side] = bindFilter(compiled.expression, { pair: file.pair, file: source.file, side, text });
  }
  return Object.freeze(filter);
}

export function compileMapping(file: MappingFile, source: { file: string }): CompileResult {
  const problems: MappingProblem[] = [];
  const match = compileMatch(file, problems);
  const fields: CompiledField[] = [];
  file.fields.forEach((field, i) => {
    const result = compileField(field, i);
    if (result.ok) fields.push(result.field);
    else problems.push(...result.problems);
  });
  checkDuplicateTargets(file, problems);
  const filter = compileFilters(file, source, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    mapping: Object.freeze({
      pair: file.pair,
      file: source.file,
      left: compileSide(file.left),
      right: compileSide(file.right),
      priority: file.priority,
      match,
      create: Object.freeze({ toRight: file.create.to_right, toLeft: file.create.to_left }),
      delete: file.delete,
      fields,
      filter,
      poll: file.poll,
      reconcile: file.reconcile,
      guard: Object.freeze({ maxChangeShare: file.guard.max_change_share }),
    }),
  };
}
