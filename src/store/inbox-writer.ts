import { systemClock, type Clock } from '../shared/clock.js';
import type { Db } from './database.js';
import { insertInboxEvents, type InboxEvent, type InsertInboxResult } from './inbox.js';
import { withTransaction } from './transaction.js';

export interface InboxWriterOptions {
  /** How long the first waiting write waits for company before the group is committed. Default is 2 ms. */
  windowMs?: number;
  /** A group is committed at once when it holds this many events. Default is 500. */
  maxEvents?: number;
  /** Where received_at comes from. Default is the system clock. */
  clock?: Clock;
}

export interface InboxWriter {
  /**
   * Stores events; resolves once they are committed (durable), with which of them were new. Writes
   * arriving within the window share one transaction, so a burst of webhooks costs one fsync, not one each.
   * If the commit fails, every write of the group rejects and nothing of it is stored.
   */
  write(events: readonly InboxEvent[]): Promise<InsertInboxResult>;
  /** Commits what is waiting now. */
  flush(): Promise<void>;
  /** Commits what is waiting and refuses further writes. */
  close(): Promise<void>;
}

interface Waiting {
  events: readonly InboxEvent[];
  resolve(result: InsertInboxResult): void;
  reject(err: unknown): void;
}

/** Group commit for the inbox (DESIGN §2, intake). */
export function createInboxWriter(db: Db, options: InboxWriterOptions = {}): InboxWriter {
  const windowMs = options.windowMs ?? 2;
  const maxEvents = options.maxEvents ?? 500;
  const clock = options.clock ?? systemClock;
  let waiting: Waiting[] = [];
  let waitingEvents = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  function commitGroup(): Promise<void> {
    if (timer) { clearTimeout(timer); timer = undefined; }
    const group = waiting;
    waiting = [];
    waitingEvents = 0;
    if (group.length === 0) return Promise.resolve();
    const done = (async () => {
      try {
        const all = group.flatMap((w) => w.events);
        const result = await withTransaction(db, (trx) => insertInboxEvents(trx, all, clock.now()));
        let offset = 0;
        for (const w of group) {
          const isNew = result.isNew.slice(offset, offset + w.events.length);
          offset += w.events.length;
          w.resolve({ inserted: isNew.filter(Boolean).length, isNew });
        }
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    })();
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
    return done;
  }

  return {
    write(events) {
      if (closed) return Promise.reject(new Error('inbox writer is closed'));
      if (events.length === 0) return Promise.resolve({ inserted: 0, isNew: [] });
      return new Promise<InsertInboxResult>((resolve, reject) => {
        waiting.push({ events, resolve, reject });
        waitingEvents += events.length;
        if (waitingEvents >= maxEvents) void commitGroup();
        else if (!timer) timer = setTimeout(() => void commitGroup(), windowMs);
      });
    },
    async flush() {
      await commitGroup();
      await Promise.all([...inFlight]);
    },
    async close() {
      closed = true;
      await this.flush();
    },
  };
}
