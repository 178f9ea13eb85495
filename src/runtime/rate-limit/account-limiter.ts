/**
 * One Bottleneck limiter per provider account (DESIGN §4, §8), shared by every pair and both
 * directions. It schedules API calls — each usually a batch — never single records: Bottleneck's
 * scheduler tops out at a few hundred jobs a second.
 *
 * Budget: the provider's published limit times a headroom (default 85%), as a reservoir refilled
 * every interval, plus a concurrency cap (Mailchimp allows 10 connections). Response headers correct
 * it: calls the provider counted that Concord did not make (another integration on the same account)
 * lower the reservoir, `remaining: 0` with a reset time holds calls until then, and a 429 holds calls
 * for its Retry-After. With a Redis connection the reservoir and
 * concurrency live in Redis (Bottleneck clustering), so several instances share one budget; holds
 * from headers and 429s are per instance (each instance sees its own answers).
 */
import Bottleneck from 'bottleneck';
import { ConcordError } from '../../shared/errors/index.js';
import type { Clock } from '../../shared/clock.js';
import type { RuntimeMetrics } from '../metrics.js';
import type { RateLimitObservation } from '../../connectors/http/rate-limit-headers.js';

/** Scheduling priority: 0 live changes, 1 catch-up, 2 backfill and reconcile (lower goes first). */
export type CallPriority = 0 | 1 | 2;

export interface RateBudget {
  /** Calls the provider allows per interval, as published. Default is none: only the concurrency cap applies (Mailchimp). */
  requests?: number;
  /** Length of that interval. Required with `requests`. */
  intervalMs?: number;
  /** Share of the published budget Concord uses, in (0, 1]. Default is 0.85. */
  headroom?: number;
  /** Calls in flight at most. Default is no cap. */
  maxConcurrent?: number;
}

export interface AccountLimiterOptions {
  /** The provider account the budget belongs to, e.g. `hubspot:portal-123`; the Redis id derives from it. */
  account: string;
  budget: RateBudget;
  clock: Clock;
  metrics?: RuntimeMetrics;
  /** A Bottleneck Redis connection: the budget is then shared with every instance using the same account. Default is none (in-process). */
  connection?: Bottleneck.IORedisConnection;
}

export interface AccountLimiter {
  readonly account: string;
  /** Runs `call` when the budget allows, lower priority numbers first. */
  schedule<T>(priority: CallPriority, call: () => Promise<T>): Promise<T>;
  /** Corrects the budget from what a response's headers said. */
  observe(observation: RateLimitObservation): Promise<void>;
  /** Holds every call of the account for `ms` (a 429's Retry-After). */
  holdFor(ms: number): void;
  /** Calls left in the current interval, as the limiter counts them (shared in Redis when clustered). */
  remaining(): Promise<number | null>;
  close(): Promise<void>;
}

/** Calls per interval Concord allows itself, or null when the provider publishes no request rate. */
export function budgetOf(budget: RateBudget): number | null {
  const headroom = budget.headroom ?? 0.85;
  const window = budget.requests === undefined && budget.intervalMs === undefined
    ? true
    : budget.requests !== undefined && budget.intervalMs !== undefined && budget.requests > 0 && budget.intervalMs > 0;
  const valid = window && headroom > 0 && headroom <= 1 &&
    (budget.maxConcurrent === undefined || (Number.isInteger(budget.maxConcurrent) && budget.maxConcurrent > 0));
  if (!valid) {
    throw new ConcordError(
      'CONCORD_ERR_RUNTIME_RATE_LIMIT_INVALID',
      `rate limit: expected requests > 0, intervalMs > 0, 0 < headroom <= 1 and a positive integer maxConcurrent; ` +
        `found requests ${budget.requests}, intervalMs ${budget.intervalMs}, headroom ${headroom}, maxConcurrent ${budget.maxConcurrent}`,
      { budget },
    );
  }
  return budget.requests === undefined ? null : Math.max(1, Math.floor(budget.requests * headroom));
}

export function createAccountLimiter(options: AccountLimiterOptions): AccountLimiter {
  const reservoir = budgetOf(options.budget);
  const limiter = new Bottleneck({
    id: `concord-limiter:${options.account}`,
    ...(reservoir !== null ? { reservoir, reservoirRefreshAmount: reservoir, reservoirRefreshInterval: options.budget.intervalMs ?? null } : {}),
    maxConcurrent: options.budget.maxConcurrent ?? null,
    // For short windows (per second, per 10 s) calls are spread over the interval: a reservoir alone lets a
    // burst at the end of one interval meet a burst at the start of the next, twice the budget inside the
    // provider's sliding window (a 429 and its wait). Long windows keep their bursts: spreading a
    // per-minute budget would slow every call down to wait for the next.
    ...(reservoir !== null && options.budget.intervalMs && options.budget.intervalMs <= 10_000
      ? { minTime: Math.floor(options.budget.intervalMs / reservoir) } : {}),
    ...(options.connection ? { datastore: 'ioredis', connection: options.connection, clearDatastore: false, timeout: 24 * 3600 * 1000 } : {}),
  });
  let heldUntil = 0;
  const waitThresholdMs = 10;
  const own = createOwnCallLog(options.budget.intervalMs ?? 10_000);
  // Calls of other clients already taken off the reservoir since it last refilled: each response
  // reports them again, and they must come off once.
  let foreignCharged = 0;
  let reservoirAfterObserve: number | null = null;
  const account = options.account;
  const labels = { account };

  const waitForHold = async () => {
    for (;;) {
      const wait = heldUntil - options.clock.now().getTime();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };

  // Takes the other clients' calls not yet charged off the reservoir, but never below what the
  // provider says is left: those calls it allows right now.
  const chargeForeign = (current: number, remaining: number, foreign: number): number => {
    const uncharged = foreign - foreignCharged;
    if (uncharged <= 0) return current;
    foreignCharged = foreign;
    return Math.min(current, Math.max(0, remaining, current - uncharged));
  };

  return {
    account,
    schedule(priority, call) {
      const submitted = performance.now();
      return limiter.schedule({ priority }, async () => {
        await waitForHold();
        // A call counts as having waited when the budget, the concurrency cap or a hold delayed
        // it noticeably; scheduling overhead alone stays under the threshold.
        if (performance.now() - submitted > waitThresholdMs) options.metrics?.rateLimitWaits.inc(labels);
        own.record(options.clock.now().getTime());
        return call();
      });
    },
    async observe({ remaining, resetAt, limit, windowMs }) {
      if (remaining !== undefined && remaining <= 0 && resetAt) {
        heldUntil = Math.max(heldUntil, Date.parse(resetAt));
        return;
      }
      if (remaining === undefined) return;
      const current = await limiter.currentReservoir();
      if (current === null) return;
      // Only a refill raises the reservoir: what was charged for other clients belonged to the last interval.
      if (reservoirAfterObserve === null || current > reservoirAfterObserve) foreignCharged = 0;
      // The provider's window rolls (HubSpot: 10 s), so `remaining` still counts our own calls the
      // reservoir has refilled for; lowering the reservoir to it would spend the budget twice. What
      // the provider counted beyond our own calls in its window came from someone else.
      const published = limit ?? options.budget.requests;
      const window = windowMs ?? options.budget.intervalMs;
      if (window !== undefined) own.keepFor(window);
      const left = published !== undefined && window !== undefined
        ? chargeForeign(current, remaining, Math.max(0, published - own.countSince(options.clock.now().getTime() - window) - remaining))
        : Math.min(current, Math.max(0, remaining));
      if (left < current) await limiter.incrementReservoir(left - current);
      reservoirAfterObserve = left;
    },
    holdFor(ms) {
      heldUntil = Math.max(heldUntil, options.clock.now().getTime() + ms);
    },
    remaining: () => limiter.currentReservoir(),
    async close() {
      // Calls still waiting are refused: shutdown drains work before closing limiters.
      await limiter.stop({ dropWaitingJobs: true });
      if (!options.connection) await limiter.disconnect();
    },
  };
}

/** Start times of this limiter's own calls, kept as long as a provider window may ask about them. */
function createOwnCallLog(initialKeepMs: number) {
  const starts: number[] = [];
  let head = 0;
  // Daily windows are not modelled by the reservoir, and an hour of starts is all a window may ask for.
  const maxKeepMs = 3600 * 1000;
  let keepMs = Math.min(initialKeepMs, maxKeepMs);
  return {
    keepFor(ms: number) { keepMs = Math.min(maxKeepMs, Math.max(keepMs, ms)); },
    record(at: number) {
      starts.push(at);
      while (head < starts.length && starts[head]! < at - keepMs) head++;
      if (head > 1024 && head * 2 > starts.length) { starts.splice(0, head); head = 0; }
    },
    /** Calls started after `since`; starts are in order, so a binary search finds the first. */
    countSince(since: number): number {
      let lo = head;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! > since) hi = mid; else lo = mid + 1;
      }
      return starts.length - lo;
    },
  };
}
