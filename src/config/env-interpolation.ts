/**
 * `${VAR}` and `${VAR:-default}` in YAML string values, resolved from a given environment (never read
 * from process.env here, so tests and hot reload pass their own). `$${` writes a literal `${`.
 * An unset variable without a default is a problem at the exact column where it is used. A variable set
 * to the empty string counts as unset: an empty secret or URL is never what an admin meant.
 */
import { isScalar, visit, type Scalar } from 'yaml';
import type { Problem } from './problems.js';
import { problemAt, type YamlSource } from './yaml-source.js';

export type Env = Readonly<Record<string, string | undefined>>;

const reference = /\$\$\{|\$\{([^}]*)\}/g;
const variableName = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export type Interpolated =
  | { ok: true; value: string; used: boolean }
  | { ok: false; errors: Array<{ index: number; message: string }> };

/** Replaces references in one string; `index` of an error is where its `${` starts. */
export function interpolateString(text: string, env: Env): Interpolated {
  const errors: Array<{ index: number; message: string }> = [];
  let used = false;
  const value = text.replace(reference, (whole, inner: string | undefined, index: number) => {
    if (whole === '$${') return '${';
    used = true;
    const parts = variableName.exec(inner ?? '');
    if (!parts) {
      errors.push({ index, message: `"${whole}" is not a variable reference: write \${NAME} or \${NAME:-default} (letters, digits, _), or $\${ for a literal \${` });
      return whole;
    }
    const name = parts[1]!;
    const fallback = parts[2];
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (fallback !== undefined) return fallback;
    errors.push({ index, message: `environment variable ${name} is not set (used as \${${name}}): set it, or give a default with \${${name}:-default}` });
    return whole;
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value, used };
}

/** Interpolates one scalar node in place; plain scalars that become a number or boolean are read as such. */
export function interpolateScalar(source: YamlSource, node: Scalar, env: Env): Problem[] {
  if (typeof node.value !== 'string') return [];
  const result = interpolateString(node.value, env);
  if (!result.ok) {
    // Only the daemon config reads `<key>_file`; mapping files hold no secrets.
    const fileHint = source.area === 'CONFIG' ? ', or read it from a file with <key>_file' : '';
    return result.errors.map((error) =>
      problemAt(source, referenceOffset(source, node, node.value as string, error.index), 'ENV_UNSET',
        error.message.startsWith('environment') ? `${error.message}${fileHint}` : error.message));
  }
  if (!result.used) {
    if (result.value !== node.value) node.value = result.value;
    return [];
  }
  node.value = node.type === 'PLAIN' ? readPlain(result.value) : result.value;
  return [];
}

/** Interpolates every string value (not keys) under `root` in place. */
export function interpolateTree(source: YamlSource, root: unknown, env: Env, skip?: (node: Scalar) => boolean): Problem[] {
  const problems: Problem[] = [];
  if (isScalar(root)) return skip?.(root) ? [] : interpolateScalar(source, root, env);
  visit(root as Parameters<typeof visit>[0], {
    Scalar(key, node) {
      if (key === 'key' || skip?.(node)) return;
      problems.push(...interpolateScalar(source, node, env));
    },
  });
  return problems;
}

/** Where in the file the reference starts: found in the node's source text, else the node itself. */
function referenceOffset(source: YamlSource, node: Scalar, value: string, index: number): number {
  const start = node.range?.[0] ?? 0;
  const end = node.range?.[1] ?? start;
  const raw = source.text.slice(start, end);
  const needle = /^\$\{[^}]*\}/.exec(value.slice(index))?.[0] ?? '${';
  // Count earlier occurrences of the same reference so repeated uses each point at their own column.
  const before = value.slice(0, index).split(needle).length - 1;
  let at = -1;
  for (let i = 0; i <= before; i++) at = raw.indexOf(needle, at + 1);
  return at >= 0 ? start + at : start;
}

function readPlain(text: string): string | number | boolean {
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}
