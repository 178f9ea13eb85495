/**
 * The inbox consumer's promise that a link never has two workers (DESIGN §2), for work that ran before: a record
 * whose work was held (here by the mass-change guard; waiting and deferred work go back the same way) while it was
 * unlinked, and linked meanwhile by other work, runs again under its link's key, behind work on that link, not
 * beside it. The pair's work is a stand-in that records which items run at once; the store, the inbox and the keyed
 * queue are the real ones.
 */
import { expect, it } from 'vitest';
import type { WorkItem } from '../../../src/engine/process/process-items.js';
import { createInboxConsumer } from '../../../src/runtime/daemon/inbox-consumer.js';
import { PairPausedError, type PairWork } from '../../../src/runtime/daemon/pair-work.js';
import { createRuntimeMetrics } from '../../../src/runtime/metrics.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { countPendingInbox, insertInboxEvents } from '../../../src/store/inbox.js';
import { upsertLink } from '../../../src/store/links.js';
import { describeEachDialect } from '../../support/db.js';
import { createFixture } from '../engine/engine-fixture.js';

const contacts = {
  match: { left: 'email', right: 'email_address', normalize: 'email' },
  fields: [{ left: 'email', right: 'email_address', direction: 'both', conflict: 'prefer-left' }],
};

const until = async (what: string, ok: () => boolean | Promise<boolean>, boundMs = 20_000) => {
  const end = Date.now() + boundMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describeEachDialect('inbox consumer keys', (getStore) => {
  it('runs held work of a record linked since under its link, never beside work on that link', async () => {
    const f = createFixture(getStore, { mapping: contacts });
    const db = getStore().db;
    const calls: WorkItem[][] = [];
    let running = 0;
    let mostAtOnce = 0;
    let retried: () => void = () => {};
    const retriedOnce = new Promise<void>((resolve) => { retried = resolve; });
    let linkWorkStarted: () => void = () => {};
    const linkWorkRuns = new Promise<void>((resolve) => { linkWorkStarted = resolve; });
    const work: PairWork = {
      counters: { committed: 0, noop: 0, failed: 0, waiting: 0, writes: {}, conflicts: 0, conflictsSettled: 0 },
      async submit(_pair, items) {
        calls.push([...items]);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        try {
          const item = items[0]!;
          if (item.side === 'left' && calls.length === 1) throw new PairPausedError(_pair);
          if (item.side === 'left') retried();
          if (item.side === 'right') {
            linkWorkStarted();
            // Stays running until the held work runs, or long enough for it to show had it been started beside.
            await Promise.race([retriedOnce, new Promise((r) => setTimeout(r, 2000))]);
          }
          return { linked: 0 };
        } finally {
          running -= 1;
        }
      },
    };
    const consumer = createInboxConsumer({
      db, owner: 'test', mappings: () => [f.mapping], store: () => f.deps.store, work,
      deadLetters: { add: async () => {} }, clock: f.clock, log: silentLogger, metrics: createRuntimeMetrics(),
      idleMs: 10,
    });
    await insertInboxEvents(db, [{ system: 'crm', object: 'contacts', remoteId: 'c1', eventId: 'e1', kind: 'upsert' }], f.clock.now());
    consumer.start();
    try {
      await until('the unlinked record\'s work to be held', () => consumer.held(f.pair) === 1);
      // Other work links the record, and a change of its partner arrives while the first one is held.
      await upsertLink(db, { pair: f.pair, leftId: 'c1', rightId: 'm1', now: f.clock.now() });
      await insertInboxEvents(db, [{ system: 'mail', object: 'members', remoteId: 'm1', eventId: 'e2', kind: 'upsert' }], f.clock.now());
      consumer.wake();
      await linkWorkRuns;
      consumer.release(f.pair);
      await until('both records to be worked on', () => calls.some((c) => c[0]!.side === 'right') && calls.filter((c) => c[0]!.side === 'left').length >= 2);
      await until('the inbox to empty', async () => (await countPendingInbox(db)) === 0);
    } finally {
      await consumer.stopIntake();
      await consumer.drain();
    }
    expect(mostAtOnce).toBe(1);
  });
});
