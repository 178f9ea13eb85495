import { z } from 'zod';
import type { Logger } from '../shared/logger.js';
import type { SeededRandom } from './seeded-random.js';

/** One HTTP request the emulator sends to a webhook receiver. */
export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * One delivery. `build` is called for every attempt, because providers re-sign each attempt (fresh
 * timestamp) and some count attempts in the body (HubSpot's `attemptNumber`). `attempt` starts at 0.
 */
export interface DeliveryJob {
  describe: string;
  build(attempt: number): OutgoingRequest;
}

/** How a provider retries: which answers are failures worth retrying and how long to wait. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Wait before attempt `attempt` (1 = the first retry). `retryAfterSeconds` is the receiver's 429 hint. */
  delayMs(attempt: number, retryAfterSeconds: number | undefined): number;
  /** `status` undefined means a network failure or a timeout. */
  shouldRetry(status: number | undefined): boolean;
  /** The receiver must answer within this, or the attempt counts as failed. */
  timeoutMs: number;
}

/** Chaos applied to deliveries. Every roll comes from the emulator's seeded random source. */
export const webhookChaosSchema = z.strictObject({
  /** Chance a delivery is never sent. Default is 0. */
  dropRate: z.number().min(0).max(1).default(0),
  /** Chance a delivery is sent twice. Default is 0. */
  duplicateRate: z.number().min(0).max(1).default(0),
  /** Send waiting deliveries in a random order instead of first-in first-out. Default is false. */
  reorder: z.boolean().default(false),
  /** Extra wait before each send, in milliseconds. Default is 0. */
  delayMs: z.number().int().min(0).max(600_000).default(0),
});
export type WebhookChaos = z.output<typeof webhookChaosSchema>;

export interface AttemptRecord { attempt: number; status?: number; error?: string }
export interface DeliveryRecord {
  id: number;
  describe: string;
  /** `duplicate` marks the extra copy made by the duplicate chaos. */
  duplicate: boolean;
  state: 'waiting' | 'delivered' | 'failed' | 'dropped';
  attempts: AttemptRecord[];
}

export interface WebhookQueue {
  enqueue(job: DeliveryJob): void;
  /** Runs `fn` on a later turn; the queue counts as busy until then (used to batch events of one turn). */
  defer(fn: () => void): void;
  setChaos(chaos: WebhookChaos): void;
  chaos(): WebhookChaos;
  deliveries(): DeliveryRecord[];
  /** Resolves once nothing is waiting, sending or scheduled for retry. */
  idle(): Promise<void>;
  clear(): void;
  close(): void;
}

interface Pending { record: DeliveryRecord; job: DeliveryJob; attempt: number }

export function createWebhookQueue(options: {
  random: SeededRandom;
  retry: RetryPolicy;
  log: Logger;
  chaos?: WebhookChaos;
}): WebhookQueue {
  const { random, retry, log } = options;
  let chaos: WebhookChaos = options.chaos ?? webhookChaosSchema.parse({});
  let records: DeliveryRecord[] = [];
  let ready: Pending[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let sending = false;
  let scheduled = false;
  let deferred = 0;
  let closed = false;
  let nextId = 1;
  let waiters: Array<() => void> = [];

  const busy = (): boolean => sending || scheduled || deferred > 0 || ready.length > 0 || timers.size > 0;
  const settle = (): void => {
    if (busy()) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    timers.add(t);
  };

  // Dispatch starts on a later turn, so deliveries enqueued together are all waiting when the
  // reorder chaos picks among them.
  const schedulePump = (): void => {
    if (scheduled || sending || closed) return;
    scheduled = true;
    setImmediate(() => { scheduled = false; void pump(); });
  };

  async function pump(): Promise<void> {
    if (sending || closed) return;
    sending = true;
    try {
      while (ready.length > 0 && !closed) {
        const index = chaos.reorder ? random.int(ready.length) : 0;
        const [item] = ready.splice(index, 1);
        if (!item) break;
        if (chaos.delayMs > 0) await new Promise((r) => setTimeout(r, chaos.delayMs));
        await attemptOnce(item);
      }
    } finally {
      sending = false;
      settle();
    }
  }

  async function attemptOnce(item: Pending): Promise<void> {
    const request = item.job.build(item.attempt);
    const result: AttemptRecord = { attempt: item.attempt };
    let retryAfter: number | undefined;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'GET' ? undefined : request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(retry.timeoutMs),
      });
      result.status = response.status;
      const ra = Number(response.headers.get('retry-after'));
      retryAfter = Number.isFinite(ra) && ra >= 0 && response.headers.has('retry-after') ? ra : undefined;
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      result.error = err instanceof Error ? err.message : String(err);
    }
    item.record.attempts.push(result);
    const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
    if (ok) {
      item.record.state = 'delivered';
      log.debug({ event: 'emulator:webhook:delivered', id: item.record.id, attempt: item.attempt });
      return;
    }
    const next = item.attempt + 1;
    if (next < retry.maxAttempts && retry.shouldRetry(result.status)) {
      log.debug({ event: 'emulator:webhook:retrying', id: item.record.id, status: result.status });
      later(retry.delayMs(next, retryAfter), () => {
        ready.push({ ...item, attempt: next });
        schedulePump();
      });
      return;
    }
    item.record.state = 'failed';
    log.info({ event: 'emulator:webhook:failed', id: item.record.id, status: result.status, error: result.error });
  }

  const add = (job: DeliveryJob, duplicate: boolean): void => {
    const record: DeliveryRecord = { id: nextId++, describe: job.describe, duplicate, state: 'waiting', attempts: [] };
    records.push(record);
    if (random.chance(chaos.dropRate)) {
      record.state = 'dropped';
      return;
    }
    ready.push({ record, job, attempt: 0 });
  };

  return {
    enqueue(job) {
      if (closed) return;
      add(job, false);
      if (random.chance(chaos.duplicateRate)) add(job, true);
      schedulePump();
    },
    defer(fn) {
      deferred += 1;
      setImmediate(() => {
        deferred -= 1;
        if (!closed) fn();
        settle();
      });
    },
    setChaos: (c) => { chaos = { ...c }; },
    chaos: () => ({ ...chaos }),
    deliveries: () => records.map((r) => ({ ...r, attempts: r.attempts.map((a) => ({ ...a })) })),
    idle: () => (busy() ? new Promise<void>((resolve) => waiters.push(resolve)) : Promise.resolve()),
    clear() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      ready = [];
      records = [];
      settle();
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      ready = [];
      scheduled = false;
      settle();
    },
  };
}
