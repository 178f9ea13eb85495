/**
 * `concord dlq list|retry <id>|drop <id>`: the dead-letter queue. A retry takes the letter out and puts
 * its work back in the inbox in one transaction (never in both places, never in neither); the running
 * daemon picks it up like any change.
 */
import type { Command } from 'commander';
import { withOperatorStore } from '../../runtime/daemon/operator-store.js';
import { ConcordError } from '../../shared/errors/index.js';
import { dropDeadLetter, listDeadLetters, retryDeadLetter } from '../../store/dead-letters.js';
import { insertInboxEvents, type InboxEvent } from '../../store/inbox.js';
import { withTransaction } from '../../store/transaction.js';

interface LetterPayload {
  pair?: string;
  items?: Array<{ side: string; id: string; system?: string; object?: string }>;
}

function unknownLetter(id: string): ConcordError {
  return new ConcordError('CONCORD_ERR_RUNTIME_DEAD_LETTER_UNKNOWN',
    `dead letter ${id}: expected an id listed by \`concord dlq list\`, found none with this id`, { id });
}

export function register(program: Command): void {
  const dlq = program.command('dlq').description('the dead-letter queue: work that failed after its last retry');
  const configOf = (command: Command) => (command.optsWithGlobals() as { config: string }).config;
  dlq.command('list')
    .description('dead letters, oldest first, with their error')
    .option('--pair <pair>', 'only this pair')
    .option('--json', 'print as JSON')
    .action(async (opts: { pair?: string; json?: boolean }, command: Command) => {
      await withOperatorStore(configOf(command), async ({ store }) => {
        const letters = await listDeadLetters(store.db, opts.pair ? { pair: opts.pair } : {});
        if (opts.json) { process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`); return; }
        if (letters.length === 0) { process.stdout.write('the dead-letter queue is empty\n'); return; }
        for (const l of letters) {
          process.stdout.write(`${l.id}  ${l.pair ?? '-'}  ${l.system}  ${l.key.replace('\u0000', ' ')}  attempts ${l.attempts}  last ${l.lastErrorAt}\n    ${l.error}\n`);
        }
      });
    });
  dlq.command('retry <id>')
    .description('put the work of a dead letter back in the inbox for the daemon')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withOperatorStore(configOf(command), async ({ store }) => {
        const now = new Date();
        const requeued = await withTransaction(store.db, async (trx) => {
          const letter = await retryDeadLetter(trx, id);
          if (!letter) throw unknownLetter(id);
          const items = ((letter.payload ?? {}) as LetterPayload).items ?? [];
          const events: InboxEvent[] = items.filter((i) => i.system && i.object).map((i) => ({
            system: i.system!, object: i.object!, remoteId: i.id, eventId: `dlq-retry:${letter.id}:${i.side}:${i.id}`, kind: 'upsert',
            occurredAt: now.toISOString(),
          }));
          await insertInboxEvents(trx, events, now);
          return events.length;
        });
        process.stdout.write(`dead letter ${id}: ${requeued} record(s) back in the inbox\n`);
      });
    });
  dlq.command('drop <id>')
    .description('discard a dead letter for good')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withOperatorStore(configOf(command), async ({ store }) => {
        if (!(await dropDeadLetter(store.db, id))) throw unknownLetter(id);
        process.stdout.write(`dead letter ${id} dropped\n`);
      });
    });
}
