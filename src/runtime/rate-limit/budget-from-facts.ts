/**
 * An account's budget from the connector's published limits (`Connector.limits`, from its
 * `<id>.connector.yaml`), overridden by the system's `rate_limit` in the daemon config (a plan with a
 * higher limit, or an admin who leaves room for other integrations on the same account). Limit groups
 * (HubSpot search: 4/s per token) get limiters of their own beside the account's.
 */
import type { ConnectorLimits } from '../../connectors/contract.js';
import type { AccountLimiter, RateBudget } from './account-limiter.js';
import type { LimiterRegistry } from './limiter-registry.js';

export interface RateLimitOverride {
  per_second?: number;
  max_concurrent?: number;
  headroom?: number;
}

type PublishedLimits = Pick<ConnectorLimits, 'requests' | 'maxConcurrent' | 'groups'>;

export function budgetFromFacts(limits: PublishedLimits, override: RateLimitOverride = {}): RateBudget {
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

export interface AccountLimiters {
  account: AccountLimiter;
  /** One limiter per limit group, keyed by the group name `HttpRequest.limitGroup` carries. */
  groups: Record<string, AccountLimiter>;
}

/** The limiters of one provider account: its budget and one per published limit group. */
export function limitersForAccount(registry: LimiterRegistry, account: string, limits: PublishedLimits, override: RateLimitOverride = {}): AccountLimiters {
  const groups: Record<string, AccountLimiter> = {};
  for (const [name, window] of Object.entries(limits.groups ?? {})) {
    groups[name] = registry.forAccount(`${account}#${name}`, {
      requests: window.count, intervalMs: window.perMs,
      ...(override.headroom !== undefined ? { headroom: override.headroom } : {}),
    });
  }
  return { account: registry.forAccount(account, budgetFromFacts(limits, override)), groups };
}
