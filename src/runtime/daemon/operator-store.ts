/**
 * What the operator commands (`status`, `dlq`, `approve`) open: the daemon config (for the store and the
 * admin endpoint) and the mappings that compile (a broken file is left out: an operator must still see
 * the state of the other pairs). They read and write the store only; no system is called.
 */
import { resolve } from 'node:path';
import type { DaemonConfig } from '../../config/daemon-config-schema.js';
import { formatProblem, hasErrors } from '../../config/problems.js';
import { checkWorkspace } from '../../config/workspace.js';
import type { CompiledMapping } from '../../mapping/compiled-types.js';
import { ConcordError } from '../../shared/errors/index.js';
import type { StoreDatabase } from '../../store/database.js';
import { openStore } from '../../store/migrate.js';

export interface OperatorStore {
  config: Readonly<DaemonConfig>;
  mappings: CompiledMapping[];
  store: StoreDatabase;
}

export async function withOperatorStore<T>(configPath: string, run: (o: OperatorStore) => Promise<T>): Promise<T> {
  const checked = await checkWorkspace({ configPath, env: process.env });
  const configProblems = checked.problems.filter((p) => p.severity === 'error' && !checked.mappings.some((m) => m.file === p.file));
  if (!checked.config || configProblems.length > 0) {
    throw new ConcordError('CONCORD_ERR_RUNTIME_STARTUP_INVALID',
      `${configPath}: expected a valid daemon config, found ${configProblems.length} problem(s):\n${configProblems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  const mappings = checked.mappings.flatMap((m) => (m.compiled && !hasErrors(m.problems) ? [m.compiled] : []));
  const url = checked.config.database.url;
  const store = await openStore(/^(sqlite:|postgres)/i.test(url) ? url : resolve(url));
  try {
    return await run({ config: checked.config, mappings, store });
  } finally {
    await store.close();
  }
}

/** The running daemon's `/admin/status`, or undefined when no daemon answers on the configured address. */
export async function fetchLiveStatus(config: Readonly<DaemonConfig>, timeoutMs = 1500): Promise<unknown> {
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host === '::' ? '::1' : config.http.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}/admin/status`;
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      ...(config.http.admin_token ? { headers: { authorization: `Bearer ${config.http.admin_token}` } } : {}),
    });
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}
