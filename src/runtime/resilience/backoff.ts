/**
 * Retry delays: exponential (base, 2×base, 4×base, ... up to a cap) with ±20% jitter so that many
 * workers failing together do not retry together; a Retry-After given by the provider is a floor.
 */
import { DelegateBackoff, type IBackoffFactory, type IRetryBackoffContext } from 'cockatiel';

export interface BackoffOptions {
  /** First delay. Default is 1000 ms (tests pass a few ms). */
  baseMs?: number;
  /** Longest delay from the exponential part. Default is 60 000 ms. */
  maxMs?: number;
  /** Source of jitter in [0, 1). Default is Math.random. */
  random?: () => number;
}

/** An error (or answer) that says how long the provider wants us to wait. */
export interface HasRetryAfter {
  retryAfterMs?: number;
}

export function retryAfterOf(reason: unknown): number | undefined {
  const error = reason && typeof reason === 'object' && 'error' in reason ? (reason as { error: unknown }).error : reason;
  const ms = (error as HasRetryAfter | undefined)?.retryAfterMs;
  return typeof ms === 'number' && ms >= 0 ? ms : undefined;
}

/** The delay before retry number `attempt` (1 for the first retry), before any Retry-After. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const nominal = Math.min(max, base * 2 ** (attempt - 1));
  const jitter = 0.8 + 0.4 * (options.random ?? Math.random)();
  return Math.min(max, Math.round(nominal * jitter));
}

export function createBackoff(options: BackoffOptions = {}): IBackoffFactory<IRetryBackoffContext<unknown>> {
  return new DelegateBackoff<IRetryBackoffContext<unknown>>((context) =>
    Math.max(backoffDelay(context.attempt, options), retryAfterOf(context.result) ?? 0));
}
