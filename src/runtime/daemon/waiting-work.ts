/**
 * Work the engine held as waiting (a lookup reference not linked yet, a filter that failed to evaluate) is tried
 * again on its own, not only at the record's next change: after a backoff (2 s doubling up to 60 s by default), and
 * sooner when a pair it looks references up in links a record, which is what a lookup waits for (no sooner than the
 * first backoff after it was parked, so a burst of links does not re-read the same records over and over).
 *
 * Tries are bounded: a waiting item is tried again for `forMs` since it first waited. Its inbox rows stay claimed
 * meanwhile (a stop or a crash leaves them to the next start), so `forMs` stays within the claim; after it the rows
 * end and the record waits for its next change, as a record left out by its filter does.
 */
import type { WorkItem } from '../../engine/process/process-items.js';
import type { Clock } from '../../shared/clock.js';
import { backoffDelay } from '../resilience/backoff.js';

export interface ParkedWork {
  pair: string;
  items: Map<string, WorkItem>;
  rows: Set<number>;
}

export interface WaitingWorkOptions {
  clock: Clock;
  /** Puts the work back on the queue. */
  retry(key: string, work: ParkedWork): void;
  /** The pairs a pair's lookups read links of; a link made in one of them wakes the pair's waiting work. */
  lookupsOf(pair: string): readonly string[];
  /** First wait. Default is 2000 ms. */
  baseMs?: number;
  /** Longest wait. Default is 60 000 ms. */
  maxMs?: number;
  /** How long an item is tried again since it first waited. Default is 300 000 ms (half the default claim). */
  forMs?: number;
}

export interface WaitingWork {
  /**
   * Parks the waiting items of a key to be tried again. True when it keeps the work's rows (they end when the items
   * do); false when the items have waited their time: the caller ends the rows, and the items wait for a change.
   */
  park(key: string, work: ParkedWork): boolean;
  /** These items ended (done, or failed and dead-lettered): they no longer wait. */
  settle(pair: string, items: Iterable<WorkItem>): void;
  /** `pair` linked records: work waiting on a lookup into it is tried again now. */
  linked(pair: string): void;
  /** Items waiting to be tried again, per pair. */
  counts(): Record<string, number>;
  /** Drops the timers (shutdown); the parked rows stay claimed and are taken again at the next start. */
  close(): void;
}

interface Parked {
  work: ParkedWork;
  timer?: NodeJS.Timeout;
  /** When it was parked, and when it runs (ms). */
  at: number;
  due: number;
}

const itemId = (pair: string, i: WorkItem) => `${pair}\u0000${i.side}:${i.id}`;

export function createWaitingWork(options: WaitingWorkOptions): WaitingWork {
  const forMs = options.forMs ?? 300_000;
  const backoff = { baseMs: options.baseMs ?? 2000, maxMs: options.maxMs ?? 60_000 };
  /** Per waiting item: when it first waited and how often it has. */
  const waits = new Map<string, { since: number; times: number }>();
  const parked = new Map<string, Parked>();

  const schedule = (key: string, p: Parked) => {
    clearTimeout(p.timer);
    const timer = setTimeout(() => {
      if (parked.get(key)?.timer === timer) options.retry(key, unpark(key)!);
    }, Math.max(0, p.due - options.clock.now().getTime()));
    p.timer = timer;
  };

  const unpark = (key: string): ParkedWork | undefined => {
    const p = parked.get(key);
    if (!p) return undefined;
    clearTimeout(p.timer);
    parked.delete(key);
    return p.work;
  };

  return {
    park(key, work) {
      // New work on the key waited too while this key was parked: one timer for both.
      const earlier = unpark(key);
      if (earlier) {
        for (const [k, v] of earlier.items) if (!work.items.has(k)) work.items.set(k, v);
        for (const r of earlier.rows) work.rows.add(r);
      }
      const now = options.clock.now().getTime();
      let since = now;
      let times = 0;
      for (const item of work.items.values()) {
        const w = waits.get(itemId(work.pair, item)) ?? { since: now, times: 0 };
        w.times += 1;
        waits.set(itemId(work.pair, item), w);
        since = Math.min(since, w.since);
        times = Math.max(times, w.times);
      }
      if (now - since >= forMs) {
        for (const item of work.items.values()) waits.delete(itemId(work.pair, item));
        return false;
      }
      const p: Parked = { work, at: now, due: now + backoffDelay(times, backoff) };
      parked.set(key, p);
      schedule(key, p);
      return true;
    },
    settle(pair, items) {
      for (const item of items) waits.delete(itemId(pair, item));
    },
    linked(pair) {
      const now = options.clock.now().getTime();
      for (const [key, p] of [...parked]) {
        if (!options.lookupsOf(p.work.pair).includes(pair)) continue;
        const soonest = Math.max(now, p.at + backoff.baseMs);
        if (soonest <= now) options.retry(key, unpark(key)!);
        else if (soonest < p.due) { p.due = soonest; schedule(key, p); }
      }
    },
    counts() {
      const out: Record<string, number> = {};
      for (const p of parked.values()) out[p.work.pair] = (out[p.work.pair] ?? 0) + p.work.items.size;
      return out;
    },
    close() {
      for (const p of parked.values()) clearTimeout(p.timer);
      parked.clear();
    },
  };
}
