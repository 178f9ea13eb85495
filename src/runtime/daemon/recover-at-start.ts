/**
 * Unfinished journal intents resolved before anything new is written (DESIGN §7), per pair. A provider that
 * refuses the reads for a while (a 429 storm outlasting the HTTP client's own retries, a 5xx burst, an outage)
 * must neither leave the intents open until some later restart nor let new writes pass them: a pair whose recovery
 * failed waits, and its recovery is tried again in the background with capped backoff for as long as it takes,
 * while the other pairs work. How long that is depends on the provider, not on a count of attempts: on a loaded
 * machine or a slow provider a fixed number of attempts gave up, and left the intents open, at random.
 *
 * The first failure is logged once as a warning; later attempts only at debug level; the recovery at info.
 */
import { handleAll, retry } from 'cockatiel';
import { recoverIntents } from '../../engine/recover/recover-intents.js';
import type { EngineSession } from '../../engine/session/engine-session.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { createBackoff } from '../resilience/backoff.js';
import { PairPausedError } from './pair-work.js';

/** The pair's unfinished writes are not resolved yet: its work is held until they are. */
export class PairRecoveringError extends PairPausedError {
  constructor(pair: string) {
    super(pair);
    this.message = `pair ${pair} waits for its unfinished writes to be resolved before anything new is written`;
  }
}

/** A pair whose recovery has not finished, as `/admin/status` shows it (and `/readyz` once an attempt failed). */
export interface RecoveryWait {
  /** When recovery started, or when its first attempt failed (ISO). */
  since: string;
  /** Failed attempts; 0 while the first one runs. */
  attempts: number;
  /** When the next attempt is due (ISO), after a failed one. */
  nextAttemptAt?: string;
  lastError?: string;
}

export interface RecoverAtStartOptions {
  session: EngineSession;
  log: Logger;
  clock: Clock;
  /** Told when a pair's intents are resolved (after it waited or not), so its held work can go on. */
  onRecovered?: (pair: string) => void;
  /** Wait before the second attempt, doubling after (with jitter). Default is 2000 ms. */
  baseDelayMs?: number;
  /** Longest wait between attempts. Default is 60 000 ms. */
  maxDelayMs?: number;
}

export interface PairRecovery {
  /** True until the pair's unfinished writes are resolved: nothing new may be written for it. */
  isWaiting(pair: string): boolean;
  /** Pairs whose recovery has not finished: the first attempt running, or failed attempts being tried again. */
  waiting(): Record<string, RecoveryWait>;
  /** Resolves when every pair has recovered, or after `stop`. */
  settled(): Promise<void>;
  /** No further attempts; an attempt under way ends with the session's abort signal. */
  stop(): void;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function startRecoveryAtStart(options: RecoverAtStartOptions): PairRecovery {
  const { session, log, clock } = options;
  const pending = new Set(session.mappings.keys());
  const waits = new Map<string, RecoveryWait>();
  const startedAt = clock.now().toISOString();
  const controller = new AbortController();

  const recoverPair = async (pair: string): Promise<void> => {
    const policy = retry(handleAll, {
      maxAttempts: Number.POSITIVE_INFINITY,
      backoff: createBackoff({ baseMs: options.baseDelayMs ?? 2000, maxMs: options.maxDelayMs ?? 60_000 }),
    }).dangerouslyUnref(); // the wait between attempts does not end on a stop; unreferenced, it does not hold the process
    policy.onRetry(({ delay, attempt, ...reason }) => {
      const err = 'error' in reason ? reason.error : reason.value;
      const now = clock.now();
      const nextAttemptAt = new Date(now.getTime() + delay).toISOString();
      const wait = waits.get(pair);
      if (!wait) {
        log.warn({ event: 'engine:journal:recovery-waiting', pair, err, retryInMs: delay },
          `pair ${pair} waits: resolving its unfinished writes failed (${messageOf(err)}); nothing new is written for it until they are resolved, tried again in the background`);
        waits.set(pair, { since: now.toISOString(), attempts: attempt, nextAttemptAt, lastError: messageOf(err) });
        return;
      }
      log.debug({ event: 'engine:journal:recovery-retried', pair, err, attempt, retryInMs: delay }, 'resolving unfinished writes failed again');
      Object.assign(wait, { attempts: attempt, nextAttemptAt, lastError: messageOf(err) });
    });
    try {
      const report = await policy.execute(({ signal }) => {
        // cockatiel makes the next attempt after its wait even when stopped meanwhile.
        if (signal.aborted) throw new Error('stopped');
        return recoverIntents(session.depsFor(pair));
      }, controller.signal);
      const n = report.applied.length + report.notApplied.length + report.unknown.length;
      const waited = waits.get(pair);
      if (n > 0 || waited) {
        log.info({ event: 'engine:journal:recovered', pair, applied: report.applied.length, notApplied: report.notApplied.length, unknown: report.unknown, ...(waited ? { attempts: waited.attempts + 1, waitingSince: waited.since } : {}) },
          `pair ${pair}: resolved ${n} unfinished write(s)${waited ? ` after ${waited.attempts + 1} attempts; its work goes on` : ''}`);
      }
      pending.delete(pair);
      waits.delete(pair);
      options.onRecovered?.(pair);
    } catch (err) {
      // Only a stop ends the retries: the pair stays waiting, and the next start tries again.
      if (!controller.signal.aborted) log.error({ event: 'engine:journal:recovery-failed', pair, err }, 'resolving unfinished writes stopped');
    }
  };

  const all = Promise.all([...pending].map((pair) => recoverPair(pair))).then(() => undefined);
  return {
    isWaiting: (pair) => pending.has(pair),
    waiting: () => Object.fromEntries([...pending].map((pair) => [pair, { ...(waits.get(pair) ?? { since: startedAt, attempts: 0 }) }])),
    settled: () => all,
    stop: () => controller.abort(),
  };
}
