/**
 * One connection per enabled system the mappings use: the connector from the registry, its HTTP client
 * (auth, OAuth tokens through the store's encrypted token store) wrapped by the runtime: retries with
 * backoff, the system's circuit, the provider account's rate limiter (plus its limit groups), metrics.
 * Every pair and both directions that use a system share this one connection, hence one budget.
 */
import type { Connector, WebhookSecrets } from '../../connectors/contract.js';
import type { HttpClient, HttpRequest } from '../../connectors/http/http-types.js';
import type { TokenStore } from '../../connectors/http/token-store.js';
import { createConnector } from '../../connectors/registry.js';
import { requestTimeoutMsOf, type DaemonConfig } from '../../config/daemon-config-schema.js';
import type { SystemConnection } from '../../engine/session/engine-session.js';
import type { Clock } from '../../shared/clock.js';
import { isConcordError } from '../../shared/errors/index.js';
import { asSystemId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { ReadinessProbe } from '../http/health-routes.js';
import type { WebhookEndpoint } from '../http/webhook-routes.js';
import type { RuntimeMetrics } from '../metrics.js';
import { limitersForAccount } from '../rate-limit/budget-from-facts.js';
import type { LimiterRegistry } from '../rate-limit/limiter-registry.js';
import type { CircuitRegistry } from '../resilience/circuit-registry.js';
import { createResilientHttpClient } from '../resilience/resilient-http-client.js';

export interface SystemHealth {
  ok: boolean;
  /** Why the system is unhealthy (a failed token refresh, refused credentials), for /readyz and `concord status`. */
  detail?: string;
}

export interface SystemConnections {
  /** The connection of an enabled system; undefined for a disabled or unknown one. */
  get(system: string): SystemConnection | undefined;
  readonly systems: readonly string[];
  webhookEndpoint(system: string): WebhookEndpoint | undefined;
  health(system: string): SystemHealth;
  probes(): ReadinessProbe[];
}

export interface SystemConnectionsOptions {
  config: Readonly<DaemonConfig>;
  /** Systems the mappings use; only these get a connection. */
  used: ReadonlySet<string>;
  limiters: LimiterRegistry;
  circuits: CircuitRegistry;
  clock: Clock;
  log: Logger;
  metrics: RuntimeMetrics;
  /** The store's encrypted token store, for OAuth2 systems. Default is none (no OAuth2). */
  tokenStore?: TokenStore;
  /** Attempts per API call, the first included. Default is 5. */
  attempts?: number;
  /** First retry delay. Default is 1000 ms. */
  retryBaseMs?: number;
}

/**
 * Searches and batch reads are POSTs that change nothing, so repeating one after a 5xx is safe; without
 * this, a read would never be retried after a 5xx. Other POSTs and PATCHes keep the runtime's default
 * (retried only with an Idempotency-Key).
 */
export function isReadOnlyPost(req: HttpRequest): boolean {
  if (req.method !== 'POST') return false;
  const path = req.url.split('?')[0] ?? '';
  return /\/(search|batch\/read)$/.test(path);
}

const defaultIdempotent = (req: HttpRequest) =>
  req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE' || isReadOnlyPost(req) ||
  Object.keys(req.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key');

/** Codes that mean the system refuses our credentials: the system is unhealthy until a call succeeds again. */
const authCodes = new Set(['CONCORD_ERR_CONNECTOR_AUTH_REFRESH_FAILED', 'CONCORD_ERR_CONNECTOR_CREDENTIALS_MISSING']);

export function createSystemConnections(options: SystemConnectionsOptions): SystemConnections {
  const { config, clock, log, metrics } = options;
  const connections = new Map<string, SystemConnection>();
  const health = new Map<string, SystemHealth>();
  const connectors = new Map<string, Connector>();

  for (const system of [...options.used].sort()) {
    const sys = config.systems[system];
    if (!sys || sys.enabled === false) continue;
    const timeoutMs = requestTimeoutMsOf(sys);
    const connector = createConnector(sys.connector ?? system, {
      system: asSystemId(system), baseUrl: sys.base_url, credentials: { ...sys.credentials }, emulator: sys.emulator,
      ...(timeoutMs ? { requestTimeoutMs: timeoutMs } : {}),
    });
    connectors.set(system, connector);
    health.set(system, { ok: true });
    const limits = connector.limits ?? { retryAfterDefaultMs: 10_000 };
    const accountLimiters = limitersForAccount(options.limiters, system, limits, sys.rate_limit ?? {});
    const inner: HttpClient = connector.createHttpClient?.({
      clock,
      ...(options.tokenStore ? { tokenStore: options.tokenStore } : {}),
    }) ?? { request: () => Promise.reject(new Error(`connector ${system} builds no HTTP client`)) };
    const resilient = createResilientHttpClient(inner, {
      system, limiter: accountLimiters.account, groupLimiters: accountLimiters.groups, circuit: options.circuits.forSystem(system),
      clock, log: log.child({ system }), metrics,
      ...(limits.headers ? { rateLimitHeaders: limits.headers } : {}),
      retry: { attempts: options.attempts ?? 5, baseMs: options.retryBaseMs ?? 1000, default429HoldMs: limits.retryAfterDefaultMs },
      isIdempotent: defaultIdempotent,
    });
    // Tracks whether the system accepts our credentials; a failed token refresh must show in /readyz and
    // `concord status` with its message, without stopping the daemon.
    const http: HttpClient = {
      async request(req) {
        try {
          const res = await resilient.request(req);
          if (res.status >= 200 && res.status < 300 && !health.get(system)?.ok) {
            health.set(system, { ok: true });
            log.info({ event: 'system:health:recovered', system }, `${system} accepts our credentials again`);
          }
          return res as never;
        } catch (err) {
          if (isConcordError(err) && authCodes.has(err.code)) {
            if (health.get(system)?.ok !== false) {
              log.error({ event: 'system:health:failed', system, code: err.code }, `${system} is unhealthy: ${err.message}`);
            }
            health.set(system, { ok: false, detail: `${err.code}: ${err.message}` });
          }
          throw err;
        }
      },
    };
    connections.set(system, { connector, http });
  }

  return {
    get: (system) => connections.get(system),
    systems: [...connections.keys()],
    webhookEndpoint(system) {
      const connector = connectors.get(system);
      const secret = config.systems[system]?.webhook_secret;
      if (!connector?.webhook || !secret) return undefined;
      const secrets: WebhookSecrets = { secret };
      return { system: asSystemId(system), handler: connector.webhook, secrets };
    },
    health: (system) => health.get(system) ?? { ok: false, detail: 'not configured' },
    probes: () => [...connections.keys()].map((system) => ({
      name: `credentials:${system}`,
      check: async () => health.get(system) ?? { ok: false },
    })),
  };
}
