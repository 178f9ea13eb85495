/**
 * An account's budget from the connector's published limits (`limits` in `<id>.connector.yaml`),
 * overridden by the system's `rate_limit` in the daemon config (a plan with a higher limit, or an
 * admin who wants to leave room for other integrations on the same account).
 */
import type { ConnectorFacts } from '../../connectors/connector-facts.js';
import type { RateBudget } from './account-limiter.js';

export interface RateLimitOverride {
  per_second?: number;
  max_concurrent?: number;
  headroom?: number;
}

export function budgetFromFacts(limits: ConnectorFacts['limits'], override: RateLimitOverride = {}): RateBudget {
  const window = override.per_second !== undefined
    ? { requests: override.per_second, intervalMs: 1000 }
    : limits.requests ? { requests: limits.requests.count, intervalMs: limits.requests.perMs } : {};
  const maxConcurrent = override.max_concurrent ?? limits.maxConcurrent;
  return {
    ...window,
    ...(maxConcurrent !== undefined ? { maxConcurrent } : {}),
    ...(override.headroom !== undefined ? { headroom: override.headroom } : {}),
  };
}
