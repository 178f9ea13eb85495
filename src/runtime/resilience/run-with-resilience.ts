/**
 * Runs one work item with retries (exponential backoff with jitter, honouring Retry-After) and,
 * optionally, the circuit of the system it talks to. After the last attempt, or at once for an error
 * that retrying cannot fix, the item goes to the dead-letter queue with its error, and the result says
 * so: a failed item is a value here, not a throw (STYLE §5).
 *
 * An open circuit does not dead-letter the item: the system is down, not the item wrong, and the
 * item stays where it came from (the inbox) to run when the circuit closes.
 */
import { BrokenCircuitError, handleWhen, retry, wrap, type CircuitBreakerPolicy } from 'cockatiel';
import { isConcordError } from '../../shared/errors/index.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { runtimeEvents, type RuntimeMetrics } from '../metrics.js';
import { createBackoff, type BackoffOptions } from './backoff.js';
import type { DeadLetter, DeadLetterSink } from './dead-letter-sink.js';

export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included. Default is 5. */
  attempts?: number;
  /** Whether an error is worth another attempt. Default: every error except a circuit refusal. */
  isRetryable?: (error: unknown) => boolean;
}

export interface ResilienceOptions {
  item: { key: string; system?: string; pair?: string; payload: Record<string, unknown> };
  retry?: RetryOptions;
  /** The circuit of the system the work calls. Default is none. */
  circuit?: CircuitBreakerPolicy;
  deadLetters: DeadLetterSink;
  clock: Clock;
  log: Logger;
  metrics?: RuntimeMetrics;
  signal?: AbortSignal;
}

export type ResilienceResult<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: unknown; attempts: number; deadLettered: boolean; circuitOpen: boolean };

export async function runWithResilience<T>(
  work: (context: { attempt: number; signal: AbortSignal }) => Promise<T>,
  options: ResilienceOptions,
): Promise<ResilienceResult<T>> {
  const retryOptions = options.retry ?? {};
  const attemptsAllowed = Math.max(1, retryOptions.attempts ?? 5);
  const isRetryable = retryOptions.isRetryable ?? (() => true);
  const system = options.item.system ?? 'unknown';
  let attempts = 0;

  const retryPolicy = retry(handleWhen((err) => !(err instanceof BrokenCircuitError) && isRetryable(err)), {
    maxAttempts: attemptsAllowed - 1,
    backoff: createBackoff(retryOptions),
  });
  retryPolicy.onRetry(({ delay, attempt, ...reason }) => {
    options.metrics?.retries.inc({ system });
    const error = 'error' in reason ? reason.error : undefined;
    options.log.info({ event: runtimeEvents.retryScheduled, key: options.item.key, system, attempt, delayMs: delay, err: error }, 'work item retried');
  });
  const policy = options.circuit ? wrap(retryPolicy, options.circuit) : retryPolicy;

  try {
    const value = await policy.execute(({ signal }) => {
      attempts += 1;
      return work({ attempt: attempts, signal });
    }, options.signal);
    return { ok: true, value, attempts };
  } catch (error) {
    if (error instanceof BrokenCircuitError) {
      options.log.warn({ event: 'work:item:deferred', key: options.item.key, system }, 'work item deferred: circuit open');
      return { ok: false, error, attempts, deadLettered: false, circuitOpen: true };
    }
    const letter: DeadLetter = {
      key: options.item.key,
      ...(options.item.system ? { system: options.item.system } : {}),
      ...(options.item.pair ? { pair: options.item.pair } : {}),
      payload: options.item.payload,
      error: describeError(error),
      attempts,
      failedAt: options.clock.now().toISOString(),
    };
    await options.deadLetters.add(letter);
    options.metrics?.deadLetters.inc({ system });
    options.log.error({ event: runtimeEvents.deadLettered, key: options.item.key, system, attempts, err: error }, 'work item sent to the dead-letter queue');
    return { ok: false, error, attempts, deadLettered: true, circuitOpen: false };
  }
}

function describeError(error: unknown): DeadLetter['error'] {
  if (isConcordError(error)) return { message: error.message, code: error.code };
  if (error instanceof Error) {
    const kind = (error as { kind?: unknown }).kind;
    return { message: error.message, ...(typeof kind === 'string' ? { kind } : {}) };
  }
  return { message: String(error) };
}
