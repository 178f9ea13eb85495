/**
 * Turns zod issues into problems an admin can act on: each at the file:line:col of the offending YAML
 * node (the key itself for an unknown key), saying what was found and what is allowed, with "did you
 * mean" for misspelt keys and enum values.
 */
import type { z } from 'zod';
import { formatPath, valueAt } from './data-path.js';
import { closestMatch, didYouMean } from './did-you-mean.js';
import type { Problem } from './problems.js';
import { offsetOfPath, problemAt, type YamlSource } from './yaml-source.js';

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];

export function problemsFromZod(source: YamlSource, issues: readonly Issue[], schema: z.ZodType, data: unknown): Problem[] {
  // A misspelt key also leaves its correct spelling missing; the "did you mean" already says so.
  const misspelt = new Set(issues.flatMap((issue) => issue.code !== 'unrecognized_keys' ? [] : issue.keys.flatMap((key) => {
    const meant = closestMatch(key, [...objectKeysAt(schema, issue.path)]);
    return meant === undefined ? [] : [formatPath([...issue.path, meant])];
  })));
  return issues
    .filter((issue) => !(misspelt.has(formatPath(issue.path)) && valueAt(data, issue.path) === undefined))
    .flatMap((issue) => problemsOfIssue(source, issue, [], schema, data));
}

function problemsOfIssue(source: YamlSource, issue: Issue, base: Path, schema: z.ZodType, data: unknown): Problem[] {
  const path = [...base, ...issue.path];
  const found = valueAt(data, path);
  const where = formatPath(path);
  const at = (detail: string, message: string, atKey = false) =>
    problemAt(source, offsetOfPath(source, path, atKey), detail, message);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = [...objectKeysAt(schema, path)];
      return issue.keys.map((key) =>
        problemAt(source, offsetOfPath(source, [...path, key], true), 'UNKNOWN_KEY',
          `unknown key "${key}"${path.length ? ` in ${where}` : ''}${didYouMean(key, allowed)}; allowed keys: ${allowed.join(', ')}`));
    }
    case 'invalid_type':
      if (found === undefined) {
        return [at('MISSING_KEY', missingText(path, `expected ${expectedText(issue.expected)}`))];
      }
      return [at('INVALID_VALUE', `${where}: expected ${expectedText(issue.expected)}, found ${describe(found)}${yesNoHint(issue.expected, found)}`)];
    case 'invalid_value': {
      if (found === undefined) return [at('MISSING_KEY', missingText(path, `expected ${issue.values.map(String).join(' or ')}`))];
      const allowed = issue.values.map((v) => String(v));
      if (allowed.length === 1) return [at('INVALID_VALUE', `${where}: expected ${allowed[0]}, found ${describe(found)}`)];
      const hint = typeof found === 'string' ? didYouMean(found, allowed) : '';
      return [at('INVALID_VALUE', `${where}: ${describe(found)} is not allowed${hint}; allowed: ${allowed.join(', ')}`)];
    }
    case 'invalid_format':
    case 'custom':
      return [at('INVALID_VALUE', `${where}: ${describe(found)} is not valid: expected ${issue.message}`)];
    case 'too_small':
    case 'too_big':
      return [at('INVALID_VALUE', `${where}: ${sizeText(issue, found)}`)];
    case 'invalid_key':
      return [at('INVALID_VALUE', `${formatPath(path.slice(0, -1))}: the name "${String(path[path.length - 1])}" is not valid: expected ${issue.issues[0]?.message ?? 'another name'}`, true)];
    case 'invalid_union':
      return unionProblems(source, issue, path, schema, data, found);
    default:
      return [at('INVALID_VALUE', `${where}: ${issue.message}`)];
  }
}

/** Reports the branch of a union that fits the value's shape; when none does, says which shapes are allowed. */
function unionProblems(source: YamlSource, issue: z.core.$ZodIssueInvalidUnion, path: Path, schema: z.ZodType,
  data: unknown, found: unknown): Problem[] {
  const fitting = issue.errors.filter((branch) => !isShapeMismatch(branch, found));
  if (fitting.length > 0) {
    const best = fitting.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((inner) => problemsOfIssue(source, inner, path, schema, data));
  }
  const shapes = [...new Set(issue.errors.flatMap(shapesOf))];
  if (found === undefined) {
    return [problemAt(source, offsetOfPath(source, path), 'MISSING_KEY', missingText(path, `expected ${shapes.join(' or ')}`))];
  }
  return [problemAt(source, offsetOfPath(source, path), 'INVALID_VALUE',
    `${formatPath(path)}: expected ${shapes.join(' or ')}, found ${describe(found)}`)];
}

function isShapeMismatch(branch: readonly Issue[], found: unknown): boolean {
  if (branch.length !== 1) return false;
  const only = branch[0]!;
  if (only.path.length > 0) return false;
  if (only.code === 'invalid_type') return true;
  if (only.code === 'invalid_value') return typeof only.values[0] !== typeof found;
  if (only.code === 'invalid_union') return only.errors.every((b) => isShapeMismatch(b, found));
  return false;
}

function shapesOf(branch: readonly Issue[]): string[] {
  const only = branch[0];
  if (!only) return [];
  if (only.code === 'invalid_type') return [expectedText(only.expected)];
  if (only.code === 'invalid_value') return [`one of ${only.values.map(String).join(', ')}`];
  if (only.code === 'invalid_union') return only.errors.flatMap(shapesOf);
  return [];
}

function sizeText(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, found: unknown): string {
  const small = issue.code === 'too_small';
  const limit = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  if (issue.origin === 'array') return `expected ${small ? 'at least' : 'at most'} ${String(limit)} item(s), found ${Array.isArray(found) ? found.length : 0}`;
  if (issue.origin === 'string') return small && Number(limit) <= 1 ? 'must not be empty' : `expected ${small ? 'at least' : 'at most'} ${String(limit)} characters`;
  return `expected a number ${small ? 'at least' : 'at most'} ${String(limit)}, found ${describe(found)}`;
}

/** YAML 1.1 read yes/no/on/off as booleans; the core schema (YAML 1.2) reads them as strings. */
function yesNoHint(expected: string, found: unknown): string {
  return expected === 'boolean' && typeof found === 'string' && /^(yes|no|on|off|y|n)$/i.test(found)
    ? ' (YAML 1.2 reads yes/no/on/off as text: write true or false)' : '';
}

function missingText(path: Path, expected: string): string {
  const parent = path.length > 1 ? ` in ${formatPath(path.slice(0, -1))}` : '';
  return `missing required key "${String(path[path.length - 1])}"${parent}: ${expected}`;
}

function expectedText(expected: string): string {
  switch (expected) {
    case 'object': case 'record': return 'a map';
    case 'array': return 'a list';
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'int': return 'a whole number';
    case 'boolean': return 'true or false';
    default: return expected;
  }
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty map' : `a map (keys: ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''})`;
  }
  if (typeof value === 'string') return `"${value}"`;
  return String(value);
}

/** Keys of every object schema that can sit at `path` (through optional, default, union, list and record). */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): Set<string> {
  const keys = new Set<string>();
  const walk = (s: z.core.$ZodType, rest: readonly PropertyKey[]): void => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    switch (def.type) {
      case 'optional': case 'default': case 'nullable': case 'prefault': case 'readonly': case 'nonoptional':
        return walk(def.innerType as z.core.$ZodType, rest);
      case 'pipe': return walk(def.in as z.core.$ZodType, rest);
      case 'union': for (const option of def.options as z.core.$ZodType[]) walk(option, rest); return;
      case 'array': if (typeof rest[0] === 'number') walk(def.element as z.core.$ZodType, rest.slice(1)); return;
      case 'record': if (rest.length > 0) walk(def.valueType as z.core.$ZodType, rest.slice(1)); return;
      case 'object': {
        const shape = def.shape as Record<string, z.core.$ZodType>;
        if (rest.length === 0) for (const key of Object.keys(shape)) keys.add(key);
        else if (Object.hasOwn(shape, rest[0] as string)) walk(shape[rest[0] as string]!, rest.slice(1));
        return;
      }
      default:
    }
  };
  walk(schema, path);
  return keys;
}
