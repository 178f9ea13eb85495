/**
 * Compiles one entry of `fields`: paths checked, transform bound, and the rules that keep a field from flapping
 * or from being merged by a strategy that cannot handle its values.
 */
import type { MappingField } from '../config/mapping-schema.js';
import type { CompiledField } from './compiled-types.js';
import { parseDuration } from './duration.js';
import { parsePath } from './field-path.js';
import type { MappingProblem } from './problems.js';
import { bindTransform, type BoundStep } from './transforms/registry.js';

type Path = (string | number)[];

export type CompiledFieldResult = { ok: true; field: CompiledField } | { ok: false; problems: MappingProblem[] };

function checkRoundTrip(field: MappingField, steps: BoundStep[], at: Path): MappingProblem[] {
  if (field.direction !== 'both') return [];
  return steps.flatMap((step): MappingProblem[] => {
    if (step.kind === 'jsonata') {
      return [{
        path: step.path,
        code: 'CONCORD_ERR_TRANSFORM_JSONATA_TWO_WAY',
        message: `field ${field.left} <-> ${field.right} has direction both, but a jsonata transform computes one way only; set direction to left-to-right or right-to-left`,
      }];
    }
    if (step.transform.invertible) return [];
    return [{
      path: step.path,
      code: 'CONCORD_ERR_TRANSFORM_NOT_INVERTIBLE',
      message: `field ${field.left} <-> ${field.right} has direction both, but transform ${step.transform.name} does not round-trip: ${step.transform.notInvertibleBecause ?? 'it has no inverse'}; the field would flap. Make the transform round-trip or make the field one-way`,
    }];
  }).map((p) => ({ ...p, path: p.path.length > 0 ? p.path : at }));
}

function checkStrategy(field: MappingField, strategy: string, steps: BoundStep[], at: Path): MappingProblem[] {
  const problem = (path: Path, message: string): MappingProblem => ({ path, code: 'CONCORD_ERR_TRANSFORM_STRATEGY_MISMATCH', message });
  const names = steps.map((s) => s.transform.name).join(' | ');
  const conflictPath = typeof field.conflict === 'string' ? [...at, 'conflict'] : [...at, 'conflict', 'strategy'];
  const problems: MappingProblem[] = [];
  if (strategy === 'sum-deltas' && !steps.every((s) => s.kind === 'number' && s.produces === 'number')) {
    problems.push(problem(conflictPath, `sum-deltas adds up numeric changes, but transform ${names} does not give numbers; allowed with no transform or with number (not as text)`));
  }
  if (strategy === 'merge-set' && steps.length > 0) {
    problems.push(problem(conflictPath, `merge-set merges lists item by item, but transform ${names} converts single values; remove the transform or choose another strategy`));
  }
  if ((strategy === 'max' || strategy === 'min') && !steps.every((s) => s.produces === 'number' || s.produces === 'date')) {
    problems.push(problem(conflictPath, `${strategy} compares numbers or dates, but transform ${names} does not give them; allowed with no transform, number or date`));
  }
  if (field.key !== undefined && strategy !== 'merge-set') {
    problems.push(problem([...at, 'key'], `key names the item key of a list merged as a set; it needs conflict merge-set, found ${strategy}`));
  }
  return problems;
}

function compileConflict(field: MappingField, at: Path): { problems: MappingProblem[]; fallback?: CompiledField['fallback']; fallbackAfterMs?: number } {
  if (typeof field.conflict === 'string') return { problems: [] };
  const { strategy, fallback, after } = field.conflict;
  const misuse = (key: string, message: string): MappingProblem => ({ path: [...at, 'conflict', key], code: 'CONCORD_ERR_TRANSFORM_FALLBACK_MISUSED', message });
  const problems: MappingProblem[] = [];
  if (fallback !== undefined && strategy !== 'manual') {
    problems.push(misuse('fallback', `fallback applies when a manual conflict is not resolved in time, but the strategy is ${strategy}; use strategy manual or remove fallback`));
  }
  if (after !== undefined && fallback === undefined) {
    problems.push(misuse('after', 'after says when the fallback applies, but no fallback is given; add fallback: <strategy> or remove after'));
  }
  if (fallback !== undefined && after === undefined && strategy === 'manual') {
    problems.push(misuse('fallback', 'a fallback needs after: how long a conflict waits for an operator before the fallback settles it, such as 48h'));
  }
  let fallbackAfterMs: number | undefined;
  if (after !== undefined) {
    const parsed = parseDuration(after);
    if (parsed.ok) fallbackAfterMs = parsed.ms;
    else problems.push(misuse('after', parsed.message));
  }
  if (problems.length > 0) return { problems };
  return { problems, fallback: fallback as CompiledField['fallback'], ...(fallbackAfterMs !== undefined ? { fallbackAfterMs } : {}) };
}

export function compileField(field: MappingField, index: number): CompiledFieldResult {
  const at: Path = ['fields', index];
  const problems: MappingProblem[] = [];
  for (const side of ['left', 'right'] as const) {
    const parsed = parsePath(field[side]);
    if (!parsed.ok) problems.push({ path: [...at, side], code: 'CONCORD_ERR_TRANSFORM_BAD_PATH', message: parsed.message });
  }
  const strategy = typeof field.conflict === 'string' ? field.conflict : field.conflict.strategy;
  const conflict = compileConflict(field, at);
  problems.push(...conflict.problems);
  const bound = bindTransform(field.transform, [...at, 'transform']);
  if (!bound.ok) return { ok: false, problems: [...problems, ...bound.problems] };
  problems.push(...checkRoundTrip(field, bound.steps, [...at, 'transform']));
  problems.push(...checkStrategy(field, strategy, bound.steps, at));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    field: Object.freeze({
      id: `${field.left}~${field.right}`,
      left: field.left,
      right: field.right,
      direction: field.direction,
      strategy,
      ...(conflict.fallback !== undefined ? { fallback: conflict.fallback } : {}),
      ...(conflict.fallbackAfterMs !== undefined ? { fallbackAfterMs: conflict.fallbackAfterMs } : {}),
      ...(field.key !== undefined ? { key: field.key } : {}),
      transform: bound.transform,
    }),
  };
}
