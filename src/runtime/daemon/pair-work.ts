/**
 * Processing work items of a pair in small batches. The keyed queue runs one key at a time per key;
 * keys that run together are gathered here for a few milliseconds and processed as one batch, so reads
 * and writes go out through the providers' batch endpoints (the rate limiter schedules API calls, each
 * usually a batch, never single records). Keys in one batch are distinct, so one record is still
 * processed by one worker at a time.
 *
 * A batch is planned first and checked by the mass-change guard; a tripped guard pauses the pair and
 * nothing of the batch is written. Each submitted key learns its own outcome: a failed item rejects
 * only its own key (which then retries and, after the last attempt, goes to the dead-letter queue); an item the
 * engine holds as waiting rejects its key with the items that wait, to be tried again later; a key that ends
 * learns whether its work linked records, which is what lookups waiting on the pair wait for.
 */
import { sql } from 'kysely';
import type { EngineSession } from '../../engine/session/engine-session.js';
import type { ItemResult } from '../../engine/process/execute-plans.js';
import { executePlans } from '../../engine/process/execute-plans.js';
import { planItems, processItems, type WorkItem } from '../../engine/process/process-items.js';
import type { Clock } from '../../shared/clock.js';
import type { BatchId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { Db } from '../../store/database.js';
import { pausePair } from '../../store/pair-state.js';
import { runtimeEvents, type RuntimeMetrics } from '../metrics.js';
import type { MassChangeGuard } from './mass-change-guard.js';

/** The pair is paused by the mass-change guard: the work waits for `concord approve`. */
export class PairPausedError extends Error {
  constructor(readonly pair: string) {
    super(`pair ${pair} is paused by the mass-change guard; run \`concord approve --pair ${pair}\``);
  }
}

/** One item failed in the engine (a refused write, a failed read); retrying may help, unless `refusedForGood`. */
export class ItemFailedError extends Error {
  /**
   * `system`: the system the item was writing to, when it was writing: where the dead letter belongs.
   * `refusedForGood`: the target refused the write for good (validation, permanent) and the engine remembers it,
   * so another attempt would send nothing: the item goes to the dead-letter queue at once, with the reason.
   */
  constructor(message: string, readonly outcome: string, readonly system?: string, readonly refusedForGood = false) {
    super(message);
  }
}

/**
 * Items the engine held as waiting: a lookup reference not linked yet, or a filter that failed to evaluate.
 * Nothing was written for them; the rest of the key's items ended.
 */
export class ItemsWaitingError extends Error {
  /** `linked`: as in `WorkDone`, for the key's items that did end. */
  constructor(readonly items: readonly WorkItem[], readonly reasons: readonly string[], readonly linked: number) {
    super(`waiting: ${reasons.join('; ') || 'no detail'}`);
  }
}

/** How a key's work ended. */
export interface WorkDone {
  /** Records of the pair its items linked (matched or created). */
  linked: number;
}

export interface WorkCounters {
  committed: number;
  noop: number;
  failed: number;
  /** Item passes that ended waiting (each retry of a waiting item counts again). */
  waiting: number;
  writes: Record<string, number>;
  /** Manual conflicts opened. */
  conflicts: number;
  /** Records where both sides had changed a field and its strategy decided. */
  conflictsSettled: number;
}

export interface PairWorkOptions {
  session: () => EngineSession;
  db: Db;
  guard: MassChangeGuard;
  clock: Clock;
  log: Logger;
  metrics: RuntimeMetrics;
  batchIdFor(pair: string): Promise<BatchId>;
  isPaused(pair: string): boolean;
  onPaused(pair: string): void;
  /** How long the first key waits for company. Default is 5 ms. */
  windowMs?: number;
  /** A batch is processed at once when it holds this many items. Default is 100. */
  maxItems?: number;
}

export interface PairWork {
  /** Processes the items (of one key); resolves when they ended, rejects with why one did not (or `ItemsWaitingError`). */
  submit(pair: string, items: readonly WorkItem[]): Promise<WorkDone>;
  readonly counters: WorkCounters;
}

interface Entry {
  items: readonly WorkItem[];
  resolve(done: WorkDone): void;
  reject(err: unknown): void;
}

const itemKey = (i: WorkItem) => `${i.side}:${i.id}`;

export function createPairWork(options: PairWorkOptions): PairWork {
  const windowMs = options.windowMs ?? 5;
  const maxItems = options.maxItems ?? 100;
  const pending = new Map<string, { entries: Entry[]; count: number; timer?: NodeJS.Timeout }>();
  const linkCounts = new Map<string, { n: number; at: number }>();
  const counters: WorkCounters = { committed: 0, noop: 0, failed: 0, waiting: 0, writes: {}, conflicts: 0, conflictsSettled: 0 };

  const linksOf = async (pair: string): Promise<number> => {
    const now = options.clock.now().getTime();
    const cached = linkCounts.get(pair);
    if (cached && now - cached.at < 30_000) return cached.n;
    const row = await options.db.selectFrom('links').select(sql<number>`count(*)`.as('n')).where('pair', '=', pair).executeTakeFirst();
    const n = Number(row?.n ?? 0);
    linkCounts.set(pair, { n, at: now });
    return n;
  };

  const record = (pair: string, session: EngineSession, results: readonly ItemResult[]) => {
    const mapping = session.mappings.get(pair)!;
    for (const r of results) {
      if (r.outcome === 'committed') {
        counters.committed += 1;
        for (const w of r.plan.writes) {
          const system = mapping[w.side].system;
          counters.writes[system] = (counters.writes[system] ?? 0) + 1;
          options.metrics.writes.inc({ system, result: 'ok' });
        }
        if (r.plan.writes.some((w) => w.changes.some((c) => c.reason === 'conflict'))) counters.conflictsSettled += 1;
        if (r.plan.conflictsToOpen.length > 0) {
          counters.conflicts += r.plan.conflictsToOpen.length;
          options.metrics.conflicts.inc({ pair }, r.plan.conflictsToOpen.length);
          options.log.info({ event: runtimeEvents.conflictOpened, pair, key: r.key, fields: r.plan.conflictsToOpen.map((c) => c.fieldId) }, 'manual conflict opened');
        }
        options.log.info({ event: 'engine:item:committed', pair, key: r.key, writes: r.plan.writes.length }, 'work item committed');
      } else if (r.outcome === 'failed' || r.outcome === 'stale') {
        counters.failed += 1;
        for (const w of r.plan.writes) options.metrics.writes.inc({ system: mapping[w.side].system, result: 'failed' });
      } else if (r.outcome === 'waiting') {
        counters.waiting += 1;
        options.log.info({ event: 'engine:item:waiting', pair, key: r.key, notes: r.plan.notes }, 'work item waiting');
      } else {
        counters.noop += 1;
      }
    }
  };

  const processBatch = async (pair: string, entries: Entry[]): Promise<void> => {
    const session = options.session();
    if (!session.mappings.has(pair)) {
      // The pair was removed by a hot reload: its work has no pair to go to.
      for (const e of entries) e.resolve({ linked: 0 });
      return;
    }
    if (options.isPaused(pair)) {
      for (const e of entries) e.reject(new PairPausedError(pair));
      return;
    }
    const deps = session.depsFor(pair);
    const seen = new Set<string>();
    const items = entries.flatMap((e) => e.items).filter((i) => !seen.has(itemKey(i)) && seen.add(itemKey(i)));
    const plans = await planItems(deps, items);
    const verdict = options.guard.check(pair, plans, await linksOf(pair), deps.mapping.guard.maxChangeShare);
    if (verdict.trip) {
      const reason = `mass-change guard: ${verdict.destructive} of ${verdict.links} linked records would be deleted or blanked ` +
        `(${Math.round(verdict.share * 100)}%, more than guard.max_change_share ${Math.round(deps.mapping.guard.maxChangeShare * 100)}%)`;
      await pausePair(options.db, pair, reason, options.clock.now());
      options.onPaused(pair);
      options.log.error({ event: 'guard:pair:paused', pair, destructive: verdict.destructive, links: verdict.links }, `${reason}; pair paused until \`concord approve --pair ${pair}\``);
      for (const e of entries) e.reject(new PairPausedError(pair));
      return;
    }
    const batchId = await options.batchIdFor(pair);
    let results = await executePlans(deps, plans, batchId);
    const stale = results.filter((r) => r.outcome === 'stale');
    if (stale.length > 0) {
      const again = stale.flatMap((s) => (['left', 'right'] as const).flatMap((side) => (s.plan.seen[side] ? [{ side, id: s.plan.seen[side]!.id }] : [])));
      results = [...results.filter((r) => r.outcome !== 'stale'), ...(await processItems(deps, again, batchId)).results];
    }
    record(pair, session, results);
    const byItem = new Map<string, ItemResult>();
    for (const r of results) {
      for (const side of ['left', 'right'] as const) {
        const s = r.plan.seen[side];
        if (s) byItem.set(`${side}:${s.id}`, r);
      }
    }
    for (const e of entries) {
      const ended = e.items.map((i) => ({ item: i, result: byItem.get(itemKey(i)) }));
      const bad = ended.map((x) => x.result).find((r) => r !== undefined && (r.outcome === 'failed' || r.outcome === 'stale'));
      const waiting = ended.filter((x) => x.result?.outcome === 'waiting');
      const linked = new Set(ended.filter((x) => x.result?.outcome === 'committed' && x.result.plan.newLink).map((x) => x.result!.key)).size;
      if (!bad && waiting.length > 0) {
        e.reject(new ItemsWaitingError(waiting.map((x) => x.item), [...new Set(waiting.flatMap((x) => x.result!.plan.notes))], linked));
      } else if (!bad) {
        e.resolve({ linked });
      } else {
        const notes = bad.outcome === 'failed' ? [...bad.errors, ...bad.plan.notes] : ['still stale after re-reading', ...bad.plan.notes];
        const forGood = bad.outcome === 'failed' && bad.refusedForGood !== undefined;
        // A refused item's letter belongs to the side that refused, not to one whose write went through.
        const refusedBy = bad.outcome === 'failed' ? bad.plan.writes.find((w) => !bad.refusedForGood?.landed.includes(w.ref)) : undefined;
        const target = (refusedBy ?? bad.plan.writes[0])?.side;
        e.reject(new ItemFailedError(`${bad.key}: ${forGood ? 'refused' : bad.outcome}: ${notes.join('; ') || 'no detail'}`, bad.outcome,
          target ? deps.mapping[target].system : undefined, forGood));
      }
    }
  };

  const flush = (pair: string) => {
    const group = pending.get(pair);
    if (!group) return;
    pending.delete(pair);
    clearTimeout(group.timer);
    void processBatch(pair, group.entries).catch((err: unknown) => {
      for (const e of group.entries) e.reject(err);
    });
  };

  return {
    counters,
    submit(pair, items) {
      return new Promise<WorkDone>((resolve, reject) => {
        let group = pending.get(pair);
        if (!group) {
          group = { entries: [], count: 0 };
          pending.set(pair, group);
          group.timer = setTimeout(() => flush(pair), windowMs);
        }
        group.entries.push({ items, resolve, reject });
        group.count += items.length;
        if (group.count >= maxItems) flush(pair);
      });
    },
  };
}
