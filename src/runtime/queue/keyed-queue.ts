/**
 * The keyed work queue (DESIGN §2, step 2) on p-queue. A key (a link, or a source record before it is
 * linked) is never run by two workers at once; different keys run concurrently up to a limit.
 *
 * Each key is in one of three states: queued (one entry in p-queue), running, or running and dirty
 * (enqueued again while running). Enqueueing a queued key does nothing: the coming run will see the
 * latest state anyway, so bursts collapse. Enqueueing a running key marks it dirty and it runs once
 * more when the current run ends, because the running pass may have read the state before the change.
 * Since a key has at most one entry in p-queue at any time, two runs of a key cannot overlap.
 */
import PQueue from 'p-queue';

export interface KeyedQueueOptions<K extends string> {
  /** Work for one key. A rejection is reported to `onError`; the key is not retried here (see runWithResilience). */
  run: (key: K) => Promise<void>;
  /** Keys run at the same time, at most. Default is 8. */
  concurrency?: number;
  /** Told about a failed run. Default logs nothing: pass one. */
  onError?: (key: K, error: unknown) => void;
  /** Told the number of keys waiting or running after every change, for the queue-depth gauge. */
  onDepth?: (depth: number) => void;
}

export interface EnqueueOptions {
  /** Higher runs first among waiting keys (p-queue's order). Default is 0. */
  priority?: number;
}

export interface KeyedQueue<K extends string> {
  enqueue(key: K, options?: EnqueueOptions): void;
  /** Keys waiting or running. */
  readonly depth: number;
  /** Whether the key is waiting or running. */
  has(key: K): boolean;
  /** Resolves when nothing is waiting or running. */
  onIdle(): Promise<void>;
  /** Stops starting new runs; runs in progress go on. Enqueued keys stay and start on `resume`. */
  pause(): void;
  resume(): void;
}

type KeyState = 'queued' | 'running' | 'dirty';

export function createKeyedQueue<K extends string>(options: KeyedQueueOptions<K>): KeyedQueue<K> {
  const queue = new PQueue({ concurrency: options.concurrency ?? 8 });
  const states = new Map<K, KeyState>();
  const report = () => options.onDepth?.(states.size);

  const schedule = (key: K, priority: number) => {
    states.set(key, 'queued');
    void queue.add(async () => {
      states.set(key, 'running');
      try {
        await options.run(key);
      } catch (error) {
        options.onError?.(key, error);
      }
      if (states.get(key) === 'dirty') schedule(key, priority);
      else states.delete(key);
      report();
    }, { priority });
  };

  return {
    enqueue(key, enqueueOptions = {}) {
      const state = states.get(key);
      if (state === 'queued' || state === 'dirty') return;
      if (state === 'running') states.set(key, 'dirty');
      else schedule(key, enqueueOptions.priority ?? 0);
      report();
    },
    get depth() { return states.size; },
    has: (key) => states.has(key),
    // A run that re-schedules its key adds to p-queue before its own promise settles, so p-queue's
    // idle means every key is done.
    onIdle: () => queue.onIdle(),
    pause: () => queue.pause(),
    resume: () => { queue.start(); },
  };
}
