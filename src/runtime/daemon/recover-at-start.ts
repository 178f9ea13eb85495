/**
 * Unfinished journal intents resolved before anything new is written (DESIGN §7), per pair. A provider that
 * refuses the reads for a while (a 429 storm outlasting the HTTP client's own retries, a 5xx burst) must not leave
 * the intents open until some later restart that may never come: the pair's recovery is tried again after 2, 4
 * and 8 s. Only then does start-up go on without it, logged as an error, and the next start tries again.
 */
import { recoverIntents } from '../../engine/recover/recover-intents.js';
import type { EngineSession } from '../../engine/session/engine-session.js';
import type { Logger } from '../../shared/logger.js';

export interface RecoverAtStartOptions {
  /** Attempts per pair. Default is 4. */
  attempts?: number;
  /** Wait before the second attempt, doubling after. Default is 2000 ms. */
  baseDelayMs?: number;
}

export async function recoverAtStart(session: EngineSession, log: Logger, options: RecoverAtStartOptions = {}): Promise<void> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 2000;
  for (const pair of session.mappings.keys()) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const report = await recoverIntents(session.depsFor(pair));
        const n = report.applied.length + report.notApplied.length + report.unknown.length;
        if (n > 0) log.warn({ event: 'engine:journal:recovered', pair, applied: report.applied.length, notApplied: report.notApplied.length, unknown: report.unknown }, `resolved ${n} unfinished write(s)`);
        break;
      } catch (err) {
        if (attempt === attempts) {
          log.error({ event: 'engine:journal:recovery-failed', pair, err, attempts }, 'resolving unfinished writes failed; they are tried again on the next start');
          break;
        }
        const waitMs = baseDelayMs * 2 ** (attempt - 1);
        log.warn({ event: 'engine:journal:recovery-retried', pair, err, attempt, waitMs }, `resolving unfinished writes failed; trying again in ${waitMs} ms`);
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
  }
}
