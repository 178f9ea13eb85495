/**
 * The daemon config and its mapping files checked together, as `concord validate` and the daemon's start
 * and hot reload need them: every problem of every file in one run, sorted by file and position.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { CompiledMapping } from '../mapping/compiled-types.js';
import type { DaemonConfig } from './daemon-config-schema.js';
import { loadDaemonConfig, type LoadOptions } from './daemon-config.js';
import type { Env } from './env-interpolation.js';
import { checkMappingSet } from './mapping-cross-checks.js';
import { parseMappingFile, type LoadedMappingFile } from './mapping-file.js';
import { hasErrors, sortProblems, type Problem } from './problems.js';

export interface WorkspaceCheck {
  /** Problems of the config and of the files asked about, sorted. */
  readonly problems: Problem[];
  readonly config?: Readonly<DaemonConfig>;
  /** Every mapping file read (the ones asked about and the mappings directory they are checked against). */
  readonly mappings: LoadedMappingFile[];
  /** The mapping files asked about (all of `mappings` when no paths were given). */
  readonly checkedMappings: LoadedMappingFile[];
  /** How many files were checked: the config plus the mapping files asked about. */
  readonly checkedFiles: number;
}

export interface WorkspaceOptions extends LoadOptions {
  configPath: string;
  env: Env;
  /** Mapping files or directories to check; empty: the config's mappings directory. */
  paths?: readonly string[];
}

/**
 * Files asked about are checked against the rest of the mappings directory (pair names, lookups,
 * writers); a file named like one in the directory stands in for it, so an edited copy can be checked
 * before it replaces the original.
 */
export async function checkWorkspace(options: WorkspaceOptions): Promise<WorkspaceCheck> {
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadDaemonConfig(options.configPath, options.env, { ...options, cwd });
  const problems: Problem[] = loaded.ok ? [...loaded.warnings] : [...loaded.problems];
  const config = loaded.ok ? loaded.config : undefined;
  const configPath = resolve(cwd, options.configPath);
  const asked: string[] = [];
  for (const path of options.paths ?? []) {
    if (resolve(cwd, path) === configPath) continue;
    const listed = await listMappingFiles(path, cwd);
    if (listed.ok) asked.push(...listed.files);
    else problems.push(listed.problem);
  }
  const mappingsDir = config?.mappings;
  let context: string[] = [];
  if (mappingsDir !== undefined) {
    const listed = await listMappingFiles(mappingsDir, cwd);
    if (listed.ok) context = listed.files;
    else if ((options.paths ?? []).length === 0) problems.push(listed.problem);
  }
  const askedAll = (options.paths ?? []).length === 0;
  const askedNames = new Set(asked.map((f) => basename(f)));
  const files = [...new Set([...asked, ...context.filter((f) => !askedNames.has(basename(f)))])];
  const report = new Set(askedAll ? files : asked);
  const mappings: LoadedMappingFile[] = [];
  for (const file of files) {
    const text = await readText(file, cwd);
    if (!text.ok) {
      if (report.has(file)) problems.push(text.problem);
      continue;
    }
    mappings.push(parseMappingFile(file, text.value, options.env));
  }
  for (const mapping of mappings) if (report.has(mapping.file)) problems.push(...mapping.problems);
  problems.push(...checkMappingSet(mappings, config).filter((p) => report.has(p.file)));
  return { problems: sortProblems(problems), ...(config ? { config } : {}), mappings,
    checkedMappings: mappings.filter((m) => report.has(m.file)), checkedFiles: 1 + report.size };
}

export type LoadedWorkspace =
  | { ok: true; config: Readonly<DaemonConfig>; mappings: readonly CompiledMapping[]; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

/** For the daemon's start and hot reload: the config and every compiled mapping, or every problem. */
export async function loadWorkspace(configPath: string, env: Env, options: LoadOptions = {}): Promise<LoadedWorkspace> {
  const checked = await checkWorkspace({ configPath, env, ...options });
  if (hasErrors(checked.problems) || !checked.config) return { ok: false, problems: checked.problems };
  const mappings = checked.mappings.flatMap((m) => (m.compiled ? [m.compiled] : []));
  return { ok: true, config: checked.config, mappings: Object.freeze(mappings), warnings: checked.problems };
}

async function listMappingFiles(path: string, cwd: string): Promise<{ ok: true; files: string[] } | { ok: false; problem: Problem }> {
  try {
    const info = await stat(resolve(cwd, path));
    if (!info.isDirectory()) return { ok: true, files: [path] };
    const names = (await readdir(resolve(cwd, path))).filter((n) => /\.ya?ml$/.test(n)).sort();
    return { ok: true, files: names.map((n) => join(path, n)) };
  } catch (error) {
    return { ok: false, problem: unreadable(path, error) };
  }
}

async function readText(file: string, cwd: string): Promise<{ ok: true; value: string } | { ok: false; problem: Problem }> {
  try {
    return { ok: true, value: await readFile(resolve(cwd, file), 'utf8') };
  } catch (error) {
    return { ok: false, problem: unreadable(file, error) };
  }
}

function unreadable(path: string, error: unknown): Problem {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file or directory' : code ?? String(error);
  return { file: path, line: 1, col: 1, code: 'CONCORD_ERR_MAPPING_UNREADABLE', severity: 'error',
    message: `cannot read "${path}" (${reason}): expected a mapping file or a directory of them` };
}
