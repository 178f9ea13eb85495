/**
 * What every process that talks to providers builds the same way, the daemon (`concord run`) and the one-off
 * engine commands (`concord sync`, `plan`, `apply`, `rollback`, ...): one rate limiter per provider account
 * (clustered through Redis when `redis.url` is set, so a one-off command shares the running daemon's budget),
 * a circuit per system that opens on the system failing but not on a 429, the encrypted OAuth token store,
 * and the connections built from them (`system-connections.ts`: limit groups, retries, idempotent-request
 * rules, health). Otherwise a one-off command would spend an account's budget, or retry a write, in a way the
 * daemon never would.
 */
import type { DaemonConfig } from '../../config/daemon-config-schema.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Db } from '../../store/database.js';
import { createRuntimeMetrics, type RuntimeMetrics } from '../metrics.js';
import { createLimiterRegistry, type LimiterRegistry } from '../rate-limit/limiter-registry.js';
import { createCircuitRegistry, type CircuitRegistry } from '../resilience/circuit-registry.js';
import { isSystemFailure } from '../resilience/resilient-http-client.js';
import { createSystemConnections, type SystemConnections } from './system-connections.js';
import { createDaemonTokenStore } from './token-store.js';

export interface SystemAccessOptions {
  config: Readonly<DaemonConfig>;
  db: Db;
  /** Systems the loaded mappings use. Disabled or undefined ones are left out: they get no token and no connection. */
  used: ReadonlySet<string>;
  /** For CONCORD_SECRET_KEY, needed only when a used system is configured for OAuth2. */
  env: Record<string, string | undefined>;
  clock: Clock;
  log: Logger;
  /** Default is a registry of its own without process metrics (a one-off command serves no /metrics). */
  metrics?: RuntimeMetrics;
  /** Attempts per API call, the first included, and the first retry delay. Default is 5 attempts from 1000 ms. */
  retry?: { attempts?: number; baseMs?: number };
}

export interface SystemAccess {
  readonly limiters: LimiterRegistry;
  readonly circuits: CircuitRegistry;
  /** Connections for these systems (enabled ones among `used`), sharing this access's limiters, circuits and tokens. */
  connect(systems: ReadonlySet<string>): SystemConnections;
  /** Closes the limiters (and their Redis connection). */
  close(): Promise<void>;
}

/** Rejects when Redis cannot be reached or a used OAuth2 system has no usable CONCORD_SECRET_KEY (coded errors). */
export async function openSystemAccess(options: SystemAccessOptions): Promise<SystemAccess> {
  const { config, clock, log } = options;
  const metrics = options.metrics ?? createRuntimeMetrics({ processMetrics: false });
  const enabled = (system: string) => config.systems[system] !== undefined && config.systems[system]?.enabled !== false;
  const used = new Set([...options.used].filter(enabled));
  const limiters = createLimiterRegistry({ clock, metrics, ...(config.redis?.url ? { redisUrl: config.redis.url } : {}) });
  try {
    await limiters.ready();
    const tokenStore = await createDaemonTokenStore({ db: options.db, config, used, env: options.env, clock });
    const circuits = createCircuitRegistry({ log, metrics, isFailure: isSystemFailure });
    return {
      limiters,
      circuits,
      connect: (systems) => createSystemConnections({
        config, used: new Set([...systems].filter((s) => used.has(s))), limiters, circuits, clock, log, metrics,
        ...(tokenStore ? { tokenStore } : {}),
        ...(options.retry?.attempts ? { attempts: options.retry.attempts } : {}),
        ...(options.retry?.baseMs ? { retryBaseMs: options.retry.baseMs } : {}),
      }),
      close: () => limiters.close(),
    };
  } catch (err) {
    await limiters.close();
    throw err;
  }
}
