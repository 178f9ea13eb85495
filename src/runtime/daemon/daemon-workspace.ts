/**
 * The daemon's configuration at start and on hot reload: the config and every mapping compiled, or
 * every problem (file:line:col). At start a problem stops the daemon; on reload the running
 * configuration stays.
 */
import { resolve } from 'node:path';
import { connectorFactories } from '../../connectors/registry.js';
import type { DaemonConfig } from '../../config/daemon-config-schema.js';
import type { Env } from '../../config/env-interpolation.js';
import { formatProblem, type Problem } from '../../config/problems.js';
import { loadWorkspace } from '../../config/workspace.js';
import type { CompiledMapping } from '../../mapping/compiled-types.js';
import { ConcordError } from '../../shared/errors/index.js';

export interface DaemonWorkspace {
  config: Readonly<DaemonConfig>;
  mappings: readonly CompiledMapping[];
  warnings: Problem[];
}

export async function readDaemonWorkspace(configPath: string, env: Env, cwd: string): Promise<{ ok: true; workspace: DaemonWorkspace } | { ok: false; problems: Problem[] }> {
  const loaded = await loadWorkspace(configPath, env, { cwd, connectorKinds: Object.keys(connectorFactories) });
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  return { ok: true, workspace: { config: loaded.config, mappings: loaded.mappings, warnings: loaded.warnings } };
}

/** For start-up: the workspace, or a coded error listing every problem at its file:line:col. */
export async function loadDaemonWorkspace(configPath: string, env: Env, cwd: string): Promise<DaemonWorkspace> {
  const read = await readDaemonWorkspace(configPath, env, cwd);
  if (read.ok) return read.workspace;
  const errors = read.problems.filter((p) => p.severity === 'error');
  throw new ConcordError('CONCORD_ERR_RUNTIME_STARTUP_INVALID',
    `${resolve(cwd, configPath)}: expected a valid config and mapping files, found ${errors.length} problem(s); the daemon did not start:\n` +
    errors.map((p) => `  ${formatProblem(p)}`).join('\n'), { problems: errors.length });
}
