/**
 * `runWithResilience`'s dead-letter sink on the store's dead-letter table. A second failure of the
 * same (system, key) updates the existing row (the store's rule), so a retried-and-failed item does
 * not pile up copies.
 */
import type { Clock } from '../../shared/clock.js';
import type { Db } from '../../store/database.js';
import { putDeadLetter } from '../../store/dead-letters.js';
import type { DeadLetter, DeadLetterSink } from '../resilience/dead-letter-sink.js';

/** How the error reads in `concord dlq list`: code or kind first, then the message. */
export function formatDeadLetterError(error: DeadLetter['error']): string {
  const tag = error.code ?? error.kind;
  return tag ? `[${tag}] ${error.message}` : error.message;
}

export function createStoreDeadLetterSink(db: Db, clock: Clock): DeadLetterSink {
  return {
    async add(letter) {
      await putDeadLetter(db, {
        system: letter.system ?? 'unknown',
        pair: letter.pair ?? null,
        key: letter.key,
        payload: letter.payload,
        error: formatDeadLetterError(letter.error),
        attempts: letter.attempts,
        now: clock.now(),
      });
    },
  };
}
