/**
 * The inbox consumer: claims inbox rows, turns each into work items for every pair that maps its
 * (system, object), and runs them through the keyed queue (a link, or a source record before it is
 * linked, is one key: never two workers at once, bursts collapse). Each key's work is retried with
 * backoff; after the last attempt it goes to the dead-letter queue with its reason and the daemon goes
 * on. A row is marked processed once every key it fed has ended (done or dead-lettered), so a crash
 * before that leaves it in the inbox for the next start (at-least-once intake, idempotent effects).
 *
 * Work of a pair paused by the mass-change guard is held (its rows stay claimed) until approval; work
 * refused by an open circuit waits and is tried again later, without being dead-lettered; work the engine holds
 * as waiting (a lookup reference not linked yet) is tried again on its own (waiting-work.ts).
 */
import { lookupPairs } from '../../engine/process/lookup-context.js';
import type { EngineStore } from '../../engine/state/engine-store.js';
import type { WorkItem } from '../../engine/process/process-items.js';
import type { CompiledMapping, Side } from '../../mapping/compiled-types.js';
import type { Clock } from '../../shared/clock.js';
import { isConcordError } from '../../shared/errors/index.js';
import type { RemoteId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { Db } from '../../store/database.js';
import { claimInboxBatch, markInboxProcessed, type InboxEntry } from '../../store/inbox.js';
import { findLinkBySide } from '../../store/links.js';
import { releaseDeadOwnersClaims } from './stale-claims.js';
import { createKeyedQueue, type KeyedQueue } from '../queue/keyed-queue.js';
import type { DeadLetterSink } from '../resilience/dead-letter-sink.js';
import { runWithResilience, type RetryOptions } from '../resilience/run-with-resilience.js';
import type { RuntimeMetrics } from '../metrics.js';
import { routeEvent, type RoutedItem } from './pair-routing.js';
import { ItemFailedError, ItemsWaitingError, PairPausedError, type PairWork } from './pair-work.js';
import { createWaitingWork, type WaitingWorkOptions } from './waiting-work.js';

export interface InboxConsumerOptions {
  db: Db;
  /** Who claims rows (shown while they are held). */
  owner: string;
  mappings: () => Iterable<CompiledMapping>;
  store: () => EngineStore;
  work: PairWork;
  deadLetters: DeadLetterSink;
  clock: Clock;
  log: Logger;
  metrics: RuntimeMetrics;
  retry?: RetryOptions;
  /** Keys run at once. Default is 64 (they are gathered into batches per pair). */
  concurrency?: number;
  /** How long a claim holds before the rows may be taken again. Default is 10 minutes. */
  claimMs?: number;
  /** How long to wait before looking again when the inbox is empty. Default is 500 ms. */
  idleMs?: number;
  /** Wait after an open circuit before trying the work again. Default is 5000 ms. */
  deferMs?: number;
  /** Tries of work held as waiting (see waiting-work.ts); `forMs` defaults to half the claim, at most 5 minutes. */
  waiting?: Pick<WaitingWorkOptions, 'baseMs' | 'maxMs' | 'forMs'>;
}

interface KeyWork {
  pair: string;
  items: Map<string, WorkItem>;
  rows: Set<number>;
}

export interface InboxConsumer {
  start(): void;
  /** Look at the inbox now (new rows were stored). */
  wake(): void;
  /** Stops claiming; work already queued goes on. */
  stopIntake(): Promise<void>;
  /** Resolves when queued work is done, or when `signal` aborts. */
  drain(signal?: AbortSignal): Promise<void>;
  /** Re-runs the held work of a pair (it was approved). */
  release(pair: string): void;
  readonly depth: number;
  /** Rows claimed and not yet ended (waiting, running, held or deferred). */
  readonly pendingRows: number;
  held(pair: string): number;
  /** Items of a pair waiting to be tried again. */
  waiting(pair: string): number;
}

/** Webhooks are live changes and go first; polls are catch-up; reconcile is backfill. */
function priorityOf(row: InboxEntry): number {
  if (row.eventId.startsWith('reconcile:')) return 0;
  if (row.eventId.startsWith('poll:')) return 1;
  return 2;
}

export function createInboxConsumer(options: InboxConsumerOptions): InboxConsumer {
  const { db, clock, log } = options;
  const claimMs = options.claimMs ?? 10 * 60_000;
  const idleMs = options.idleMs ?? 500;
  const deferMs = options.deferMs ?? 5000;
  const keyWork = new Map<string, KeyWork>();
  const rowRefs = new Map<number, number>();
  const heldByPair = new Map<string, Map<string, KeyWork>>();
  const deferred = new Set<NodeJS.Timeout>();
  let stopped = true;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  const lookupsByMapping = new WeakMap<CompiledMapping, string[]>();
  const waiting = createWaitingWork({
    clock,
    forMs: Math.min(300_000, claimMs / 2),
    ...options.waiting,
    retry: (_key, w) => requeue(w),
    lookupsOf: (pair) => {
      for (const m of options.mappings()) {
        if (m.pair !== pair) continue;
        const known = lookupsByMapping.get(m) ?? [...new Set([...lookupPairs(m).values()].flat())];
        lookupsByMapping.set(m, known);
        return known;
      }
      return [];
    },
  });

  /** Adds `w` to the work of `key` in `into` (the queued work unless said): its items and rows join. */
  const merge = (key: string, w: KeyWork, into: Map<string, KeyWork> = keyWork) => {
    const existing = into.get(key);
    if (!existing) { into.set(key, w); return; }
    for (const [k, v] of w.items) existing.items.set(k, v);
    for (const r of w.rows) existing.rows.add(r);
  };

  const finishRows = async (rows: Iterable<number>) => {
    const done: number[] = [];
    for (const id of rows) {
      const left = (rowRefs.get(id) ?? 1) - 1;
      if (left <= 0) { rowRefs.delete(id); done.push(id); } else rowRefs.set(id, left);
    }
    if (done.length > 0) await markInboxProcessed(db, done, clock.now());
  };

  const systemOf = (pair: string, side: Side): { system: string; object: string } | undefined => {
    for (const m of options.mappings()) if (m.pair === pair) return { system: m[side].system, object: m[side].object };
    return undefined;
  };

  const run = async (key: string): Promise<void> => {
    const w = keyWork.get(key);
    keyWork.delete(key);
    if (!w) return;
    const items = [...w.items.values()];
    const first = items[0];
    const where = first ? systemOf(w.pair, first.side) : undefined;
    // The dead letter belongs to the system whose write failed, which is known only from the failure.
    let failedSystem: string | undefined;
    let linked = 0;
    let waitingItems: ItemsWaitingError | undefined;
    const deadLetters: DeadLetterSink = { add: (letter) => options.deadLetters.add({ ...letter, ...(failedSystem ? { system: failedSystem } : {}) }) };
    const result = await runWithResilience(async () => {
      try {
        linked = (await options.work.submit(w.pair, items)).linked;
        return 'done' as const;
      } catch (err) {
        if (err instanceof PairPausedError) return 'held' as const;
        if (err instanceof ItemsWaitingError) { waitingItems = err; linked = err.linked; return 'waiting' as const; }
        if (isConcordError(err) && err.code === 'CONCORD_ERR_RUNTIME_CIRCUIT_OPEN') return 'deferred' as const;
        if (err instanceof ItemFailedError && err.system) failedSystem = err.system;
        throw err;
      }
    }, {
      item: {
        key, pair: w.pair, ...(where ? { system: where.system } : {}),
        payload: { pair: w.pair, items: items.map((i) => ({ side: i.side, id: i.id, ...systemOf(w.pair, i.side) })) },
      },
      // A write refused for good is remembered by the engine: another attempt would write nothing and hide it.
      retry: { ...options.retry, isRetryable: (err) => !(err instanceof ItemFailedError && err.refusedForGood) && (options.retry?.isRetryable?.(err) ?? true) },
      deadLetters, clock, log, metrics: options.metrics,
    });
    if (result.ok && result.value === 'held') {
      const held = heldByPair.get(w.pair) ?? new Map<string, KeyWork>();
      heldByPair.set(w.pair, held);
      merge(key, w, held);
      return;
    }
    if (result.ok && result.value === 'deferred') {
      log.warn({ event: 'work:item:deferred', key, pair: w.pair }, 'work deferred: a system\'s circuit is open');
      const timer = setTimeout(() => { deferred.delete(timer); requeue(w); }, deferMs);
      deferred.add(timer);
      return;
    }
    if (result.ok && result.value === 'waiting' && waitingItems) {
      const stillWaiting = new Map(waitingItems.items.map((i) => [`${i.side}:${i.id}`, i]));
      waiting.settle(w.pair, items.filter((i) => !stillWaiting.has(`${i.side}:${i.id}`)));
      const kept = waiting.park(key, { pair: w.pair, items: stillWaiting, rows: w.rows });
      if (linked > 0) waiting.linked(w.pair);
      if (kept) return;
      log.warn({ event: 'work:item:wait-ended', key, pair: w.pair, reasons: waitingItems.reasons },
        'work item still waiting after its tries; it is tried again at its next change');
    } else {
      waiting.settle(w.pair, items);
      if (linked > 0) waiting.linked(w.pair);
    }
    await finishRows(w.rows);
  };

  const queue: KeyedQueue<string> = createKeyedQueue<string>({
    run,
    concurrency: options.concurrency ?? 64,
    onError: (key, err) => log.error({ event: 'work:item:crashed', key, err }, 'work item failed outside its retries'),
    onDepth: (depth) => options.metrics.queueDepth.set({ queue: 'work' }, depth),
  });

  /** Per pair, since when its unlinked key has been queued or running (links made since may be that work's). */
  const unlinkedSince = new Map<string, string>();
  const keyFor = async (t: RoutedItem): Promise<string> => {
    const link = await findLinkBySide(db, t.pair, t.side, t.id);
    // Unlinked records of a pair share one key: two of them may match each other (one on each side), and as two
    // keys they would be linked and written by two workers at once. That work may create this very link meanwhile:
    // new work on the link joins the key while it is queued or running, so a link never has two workers (DESIGN
    // §2); otherwise one version was read twice and written twice, the later write from a stale read.
    const unlinked = `${t.pair}\u0000unlinked`;
    if (!link) {
      if (!queue.has(unlinked)) unlinkedSince.set(t.pair, clock.now().toISOString());
      return unlinked;
    }
    if (queue.has(unlinked) && link.createdAt >= (unlinkedSince.get(t.pair) ?? '')) return unlinked;
    return `${t.pair}\u0000link:${link.id}`;
  };

  /**
   * Work that ran before (held, deferred or waiting) goes back on the queue under the keys its records have now: a
   * record unlinked when it was parked may be linked since, and under its old key it would run beside new work on
   * that link. Its rows end when every part has.
   */
  const requeue = (w: KeyWork) => {
    void (async () => {
      if (w.items.size === 0) { await finishRows(w.rows); return; }
      const parts = new Map<string, KeyWork>();
      for (const [k, item] of w.items) {
        const key = await keyFor({ pair: w.pair, side: item.side, id: item.id });
        const part = parts.get(key) ?? { pair: w.pair, items: new Map(), rows: new Set(w.rows) };
        part.items.set(k, item);
        parts.set(key, part);
      }
      for (const id of w.rows) rowRefs.set(id, (rowRefs.get(id) ?? 1) + parts.size - 1);
      for (const [key, part] of parts) { merge(key, part); queue.enqueue(key); }
    })().catch((err: unknown) => log.error({ event: 'work:item:requeue-failed', pair: w.pair, err },
      'putting held work back on the queue failed; its inbox rows are taken again when their claim expires'));
  };

  const take = async (rows: InboxEntry[]) => {
    const unrouted: number[] = [];
    for (const row of rows) {
      if (rowRefs.has(row.id)) continue;
      const targets = routeEvent(options.mappings(), {
        system: row.system, object: row.object, remoteId: row.remoteId as RemoteId, ...(row.fields ? { fields: row.fields } : {}),
      });
      if (targets.length === 0) { unrouted.push(row.id); continue; }
      rowRefs.set(row.id, targets.length);
      for (const t of targets) {
        const key = await keyFor(t);
        merge(key, { pair: t.pair, items: new Map([[`${t.side}:${t.id}`, { side: t.side, id: t.id }]]), rows: new Set([row.id]) });
        queue.enqueue(key, { priority: priorityOf(row) });
      }
    }
    if (unrouted.length > 0) await markInboxProcessed(db, unrouted, clock.now());
  };

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { wakeUp = undefined; resolve(); }, ms);
    wakeUp = () => { clearTimeout(timer); wakeUp = undefined; resolve(); };
  });

  const claimLoop = async () => {
    // Rows a killed predecessor on this host had claimed would otherwise wait out its claim (stale-claims.ts).
    try {
      const released = await releaseDeadOwnersClaims(db, options.owner);
      if (released > 0) log.warn({ event: 'inbox:claim:released', rows: released }, `released ${released} inbox row(s) claimed by a daemon that is gone`);
    } catch (err) {
      log.error({ event: 'inbox:claim:release-failed', err }, 'releasing claims of a gone daemon failed; they wait until their claim expires');
    }
    while (!stopped) {
      try {
        // Backpressure: do not claim far ahead of what the queue can run.
        if (queue.depth > 2000) { await sleep(idleMs); continue; }
        const rows = await claimInboxBatch(db, { owner: options.owner, limit: 200, claimMs, now: clock.now() });
        const fresh = rows.filter((r) => !rowRefs.has(r.id));
        if (fresh.length === 0) { await sleep(idleMs); continue; }
        await take(fresh);
      } catch (err) {
        log.error({ event: 'inbox:claim:failed', err }, 'reading the inbox failed; trying again');
        await sleep(idleMs * 4);
      }
    }
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop = claimLoop();
    },
    wake: () => wakeUp?.(),
    async stopIntake() {
      stopped = true;
      wakeUp?.();
      await loop;
      for (const t of deferred) clearTimeout(t);
      deferred.clear();
      waiting.close();
    },
    async drain(signal) {
      if (signal?.aborted) return;
      await Promise.race([
        queue.onIdle(),
        new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true })),
      ]);
    },
    release(pair) {
      const held = heldByPair.get(pair);
      heldByPair.delete(pair);
      for (const w of held?.values() ?? []) requeue(w);
    },
    get depth() { return queue.depth; },
    get pendingRows() { return rowRefs.size; },
    held: (pair) => heldByPair.get(pair)?.size ?? 0,
    waiting: (pair) => waiting.counts()[pair] ?? 0,
  };
}
