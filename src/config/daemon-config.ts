/**
 * Loads the daemon config: YAML with positions -> `<key>_file` secrets -> `${VAR}` interpolation -> zod
 * -> cross-checks -> a frozen, typed config. Every problem of the file is reported, not only the first.
 */
import { readFile } from 'node:fs/promises';
import { interpolateTree, type Env } from './env-interpolation.js';
import { checkDaemonConfig } from './daemon-config-checks.js';
import { daemonConfigSchema, type DaemonConfig } from './daemon-config-schema.js';
import { deepFreeze } from '../shared/deep-freeze.js';
import { hasErrors, type Problem } from './problems.js';
import { resolveSecretFiles } from './secret-files.js';
import { parseYamlSource, toPlainData } from './yaml-source.js';
import { problemsFromZod } from './zod-problems.js';

export type LoadedDaemonConfig =
  | { ok: true; config: Readonly<DaemonConfig>; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

export interface LoadOptions {
  /** Where relative `<key>_file` paths start. Default is process.cwd(). */
  cwd?: string;
  /**
   * Connector kinds this build has (the connector registry's keys). When given, an enabled system naming
   * another kind is an error; when absent, kinds are not checked (the config layer knows no providers).
   */
  connectorKinds?: readonly string[];
}

/** Reads and validates the daemon config at `path`, interpolating from `env` (pass process.env in the daemon). */
export async function loadDaemonConfig(path: string, env: Env, options: LoadOptions = {}): Promise<LoadedDaemonConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, problems: [unreadable(path, error)] };
  }
  return parseDaemonConfig(path, text, env, options);
}

/** As loadDaemonConfig, for text already read (hot reload, tests). */
export function parseDaemonConfig(path: string, text: string, env: Env, options: LoadOptions = {}): LoadedDaemonConfig {
  const { source, problems } = parseYamlSource(path, text, 'CONFIG');
  const secrets = resolveSecretFiles(source, env, options.cwd ?? process.cwd());
  problems.push(...secrets.problems);
  const envProblems = interpolateTree(source, source.doc.contents, env, (node) => secrets.resolved.has(node));
  problems.push(...envProblems);
  // Content after a syntax error is unreliable: schema problems would only repeat it in other words.
  if (source.doc.errors.length > 0) return { ok: false, problems };
  const data = toPlainData(source);
  if (!data.ok) return { ok: false, problems: [...problems, data.problem] };
  const parsed = daemonConfigSchema.safeParse(data.value ?? {});
  if (!parsed.success) {
    // A value left unresolved by a missing variable is reported once, as the missing variable.
    const unresolvedLines = new Set(envProblems.map((p) => p.line));
    const schemaProblems = problemsFromZod(source, parsed.error.issues, daemonConfigSchema, data.value)
      .filter((p) => !(p.code === 'CONCORD_ERR_CONFIG_INVALID_VALUE' && unresolvedLines.has(p.line)));
    return { ok: false, problems: [...problems, ...schemaProblems] };
  }
  problems.push(...checkDaemonConfig(source, parsed.data, options.connectorKinds));
  if (hasErrors(problems)) return { ok: false, problems };
  return { ok: true, config: deepFreeze(parsed.data), warnings: problems };
}

function unreadable(path: string, error: unknown): Problem {
  const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((error as Error).message);
  return {
    file: path, line: 1, col: 1, code: 'CONCORD_ERR_CONFIG_UNREADABLE', severity: 'error',
    message: `cannot read the daemon config (${reason}): give its path with -c/--config or CONCORD_CONFIG`,
  };
}
