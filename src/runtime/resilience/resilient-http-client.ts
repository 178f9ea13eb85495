/**
 * Wraps a connector's `HttpClient` so every call goes through, from the outside in: retry (backoff
 * with jitter, Retry-After as a floor), the system's circuit, the account's rate limiter, and metrics.
 * Each attempt is scheduled separately on the limiter, so a retry spends budget like any call.
 *
 * The contract of `HttpClient` stays: every HTTP answer resolves, only network failures reject. A
 * 429 or 5xx is retried; when attempts run out the last answer is returned for the connector to
 * classify. An open circuit rejects with `CONCORD_ERR_RUNTIME_CIRCUIT_OPEN` without calling.
 *
 * Calls that may not be safe to repeat (POST and PATCH without an `Idempotency-Key` header) are
 * retried only on 429, which the provider refused before doing anything, and when the connection
 * was refused: a 5xx or a reset connection may have happened after the provider acted, and a repeated
 * create would double a record.
 */
import { BrokenCircuitError, handleWhen, retry, wrap, type CircuitBreakerPolicy } from 'cockatiel';
import type { HttpClient, HttpRequest, HttpResponse } from '../../connectors/http/http-types.js';
import { ConcordError } from '../../shared/errors/index.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { AccountLimiter } from '../rate-limit/account-limiter.js';
import { parseRateLimit, type RateLimitHeaderNames } from '../../connectors/http/rate-limit-headers.js';
import { runtimeEvents, type RuntimeMetrics } from '../metrics.js';
import { createBackoff, type BackoffOptions } from './backoff.js';

export interface ResilientHttpOptions {
  system: string;
  limiter: AccountLimiter;
  /** Limiters of the provider's limit groups, by name (`HttpRequest.limitGroup`). Default is none. */
  groupLimiters?: Record<string, AccountLimiter>;
  circuit: CircuitBreakerPolicy;
  clock: Clock;
  log: Logger;
  metrics?: RuntimeMetrics;
  /**
   * The connector's rate-limit header names (`limits.headers`), for an inner client that does not parse
   * them into `HttpResponse.rateLimit` itself. Default is none: only `rateLimit` and Retry-After are read.
   */
  rateLimitHeaders?: RateLimitHeaderNames;
  retry?: BackoffOptions & {
    /** Attempts in all, the first included. Default is 5. */
    attempts?: number;
    /** How long a 429 without Retry-After holds the account (`limits.retryAfterDefaultMs`). Default is 10 000 ms. */
    default429HoldMs?: number;
  };
  /** Whether a request may be sent twice. Default: GET, PUT, DELETE, or any request with an Idempotency-Key header. */
  isIdempotent?: (req: HttpRequest) => boolean;
}

/** A 429 or 5xx answer, thrown inside the policies so they can retry and count it. */
class RetryableAnswer extends Error {
  constructor(readonly response: HttpResponse<unknown>, readonly retryAfterMs: number | undefined, readonly countsAsFailure: boolean) {
    super(`HTTP ${response.status}`);
  }
}

const defaultIsIdempotent = (req: HttpRequest) =>
  req.repeatable === true || req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE' ||
  Object.keys(req.headers ?? {}).some((h) => h.toLowerCase() === 'idempotency-key');

function isConnectionRefused(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: string }).code === 'ECONNREFUSED') return true;
  }
  return false;
}

export function createResilientHttpClient(inner: HttpClient, options: ResilientHttpOptions): HttpClient {
  const { system, metrics } = options;
  const isIdempotent = options.isIdempotent ?? defaultIsIdempotent;
  const hold429 = options.retry?.default429HoldMs ?? 10_000;

  const attempt = async (req: HttpRequest): Promise<HttpResponse<unknown>> => {
    let response: HttpResponse<unknown>;
    try {
      const priority = req.priority ?? 1;
      const group = req.limitGroup !== undefined ? options.groupLimiters?.[req.limitGroup] : undefined;
      // The group first: waiting for a group's budget must not hold a slot of the account's.
      response = group
        ? await group.schedule(priority, () => options.limiter.schedule(priority, () => inner.request(req)))
        : await options.limiter.schedule(priority, () => inner.request(req));
    } catch (error) {
      metrics?.httpCalls.inc({ system, status: 'network' });
      throw error;
    }
    metrics?.httpCalls.inc({ system, status: String(response.status) });
    const observation = response.rateLimit ?? parseRateLimit(response.headers, options.rateLimitHeaders ?? {}, options.clock.now());
    if (observation) await options.limiter.observe(observation);
    const retryAfterMs = observation?.retryAfterMs;
    if (response.status === 429) {
      options.limiter.holdFor(retryAfterMs ?? hold429);
      throw new RetryableAnswer(response, retryAfterMs ?? hold429, false);
    }
    if (response.status >= 500) throw new RetryableAnswer(response, retryAfterMs, true);
    return response;
  };

  return {
    async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
      const idempotent = isIdempotent(req);
      const retryPolicy = retry(handleWhen((err) => {
        if (err instanceof BrokenCircuitError) return false;
        if (err instanceof RetryableAnswer) return idempotent || err.response.status === 429;
        return idempotent || isConnectionRefused(err);
      }), { maxAttempts: Math.max(1, options.retry?.attempts ?? 5) - 1, backoff: createBackoff(options.retry) });
      retryPolicy.onRetry(({ delay, attempt: n }) => {
        metrics?.retries.inc({ system });
        options.log.debug({ event: runtimeEvents.retryScheduled, system, method: req.method, attempt: n, delayMs: delay }, 'API call retried');
      });
      try {
        return (await wrap(retryPolicy, options.circuit).execute(() => attempt(req), req.signal)) as HttpResponse<T>;
      } catch (error) {
        if (error instanceof RetryableAnswer) return error.response as HttpResponse<T>;
        if (error instanceof BrokenCircuitError) {
          throw new ConcordError(
            'CONCORD_ERR_RUNTIME_CIRCUIT_OPEN',
            `${system}: expected the system to answer, found its circuit open after consecutive failures; ` +
              'calls resume after the cool-down once a probe call succeeds',
            { system },
            { cause: error },
          );
        }
        throw error;
      }
    },
  };
}

/** For a circuit registry: a 429 is the provider pacing us, not failing; it must not open the circuit. */
export function isSystemFailure(error: Error): boolean {
  return !(error instanceof RetryableAnswer) || error.countsAsFailure;
}
