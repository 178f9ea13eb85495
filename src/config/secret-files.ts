/**
 * `<key>_file: path` anywhere in the daemon config: the file's content (trailing newline removed) becomes
 * the value of `<key>`, and wins over a `<key>` written beside it, so a secret can live in a file
 * (systemd credentials, Docker/Kubernetes secrets) instead of the environment. Relative paths start
 * from the working directory, like every other path in the config.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Pair, Scalar, isScalar, visit, type Node, type YAMLMap } from 'yaml';
import { interpolateScalar, type Env } from './env-interpolation.js';
import type { Problem } from './problems.js';
import { problemAt, type YamlSource } from './yaml-source.js';

/** Replaces `<key>_file` pairs by `<key>` pairs in place; returns the value nodes it created (already final). */
export function resolveSecretFiles(source: YamlSource, env: Env, cwd: string): { problems: Problem[]; resolved: Set<Node> } {
  const problems: Problem[] = [];
  const resolved = new Set<Node>();
  const maps: YAMLMap[] = [];
  visit(source.doc, { Map(_key, map) { maps.push(map); } });
  for (const map of maps) {
    for (const pair of [...map.items]) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string' || !key.endsWith('_file') || key === '_file') continue;
      const base = key.slice(0, -'_file'.length);
      const valueNode = pair.value;
      if (!isScalar(valueNode) || typeof valueNode.value !== 'string') continue; // the schema reports the type
      const interpolation = interpolateScalar(source, valueNode, env);
      problems.push(...interpolation);
      if (interpolation.length > 0) continue;
      const content = readSecret(resolve(cwd, valueNode.value as string));
      const offset = valueNode.range?.[0] ?? 0;
      if (!content.ok) {
        problems.push(problemAt(source, offset, 'SECRET_FILE', `${key}: cannot read the secret file "${String(valueNode.value)}" (${content.reason}): expected a readable, non-empty file`));
        continue;
      }
      const secret = new Scalar(content.value);
      secret.range = valueNode.range;
      resolved.add(secret);
      const existing = map.items.find((p) => isScalar(p.key) && p.key.value === base);
      if (existing) existing.value = secret;
      else map.items.push(new Pair(Object.assign(new Scalar(base), { range: (pair.key as Node).range }), secret));
      map.items.splice(map.items.indexOf(pair), 1);
    }
  }
  return { problems, resolved };
}

function readSecret(path: string): { ok: true; value: string } | { ok: false; reason: string } {
  try {
    const value = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    return value === '' ? { ok: false, reason: 'the file is empty' } : { ok: true, value };
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
}

