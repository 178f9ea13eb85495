/**
 * The limiters of a daemon, one per provider account: every pair and both directions that use an
 * account get the same limiter, so they share one budget. With `redisUrl` the limiters are clustered
 * through Redis (one connection for all of them) and instances with the same accounts share budgets.
 */
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { Clock } from '../../shared/clock.js';
import type { RuntimeMetrics } from '../metrics.js';
import { createAccountLimiter, type AccountLimiter, type RateBudget } from './account-limiter.js';

export interface LimiterRegistryOptions {
  clock: Clock;
  metrics?: RuntimeMetrics;
  /** `redis.url` from the daemon config. Default is none: limiters are in-process. */
  redisUrl?: string;
  /** Prefix of every Redis key the limiters write (several deployments on one Redis). Default is none. */
  redisKeyPrefix?: string;
}

export interface LimiterRegistry {
  /** The account's limiter; the budget given on the first call for an account is the one used. */
  forAccount(account: string, budget: RateBudget): AccountLimiter;
  /** Resolves when the Redis connection is up (at once without Redis); rejects when it cannot connect. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createLimiterRegistry(options: LimiterRegistryOptions): LimiterRegistry {
  const limiters = new Map<string, AccountLimiter>();
  const connection = options.redisUrl
    ? new Bottleneck.IORedisConnection({
      Redis,
      client: new Redis(options.redisUrl, { maxRetriesPerRequest: 2, ...(options.redisKeyPrefix ? { keyPrefix: options.redisKeyPrefix } : {}) }),
    })
    : undefined;
  return {
    forAccount(account, budget) {
      let limiter = limiters.get(account);
      if (!limiter) {
        limiter = createAccountLimiter({
          account, budget, clock: options.clock,
          ...(options.metrics ? { metrics: options.metrics } : {}),
          ...(connection ? { connection } : {}),
        });
        limiters.set(account, limiter);
      }
      return limiter;
    },
    async ready() {
      // Bottleneck's typings say `ready()`, but IORedisConnection exposes `ready` as a promise.
      if (connection) await (connection as unknown as { ready: Promise<unknown> }).ready;
    },
    async close() {
      await Promise.all([...limiters.values()].map((l) => l.close()));
      limiters.clear();
      if (connection) await connection.disconnect();
    },
  };
}
