/**
 * The reconcile pass (DESIGN §2): on the pair's `reconcile` schedule (daily by default), compare the ids
 * on each side with the pair's links, to catch what webhooks and polls both missed: a linked record
 * whose id is gone (a delete the change feed does not report), and a record that has no link (a create
 * that was never announced). Each finding goes into the inbox as a backfill event (lowest priority),
 * where the engine reads the record and applies the mapping's create and delete rules; the counts feed
 * the drift gauge. Content changes of linked records are caught by polling, whose cursor moves by time.
 */
import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { EngineSession, SystemConnection } from '../../engine/session/engine-session.js';
import type { CompiledMapping } from '../../mapping/compiled-types.js';
import type { Clock } from '../../shared/clock.js';
import type { RemoteId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { Db } from '../../store/database.js';
import { insertInboxEvents, type InboxEvent } from '../../store/inbox.js';
import { withTransaction } from '../../store/transaction.js';
import { runtimeEvents, type RuntimeMetrics } from '../metrics.js';

export interface ReconcileOptions {
  db: Db;
  session: () => EngineSession;
  connection: (system: string) => SystemConnection | undefined;
  clock: Clock;
  log: Logger;
  metrics: RuntimeMetrics;
  onStored?: () => void;
}

export interface ReconcileReport {
  /** Linked ids no longer listed on their side. */
  deleted: number;
  /** Listed ids without a link. */
  missing: number;
  /** Sides that cannot list ids (no `listIds`): skipped. */
  skipped: string[];
}

export async function reconcilePair(options: ReconcileOptions, mapping: CompiledMapping, signal: AbortSignal): Promise<ReconcileReport> {
  const store = options.session().store;
  const runId = randomUUID();
  const links = await store.listLinks(mapping.pair);
  const report: ReconcileReport = { deleted: 0, missing: 0, skipped: [] };
  const events: InboxEvent[] = [];
  for (const side of ['left', 'right'] as const) {
    const s = mapping[side];
    const conn = options.connection(s.system);
    if (!conn?.connector.listIds) { report.skipped.push(`${side} (${s.system})`); continue; }
    const ctx = { log: options.log.child({ system: s.system }), signal, http: conn.http, clock: options.clock, params: s.params };
    const listed = new Set<RemoteId>();
    for await (const ids of conn.connector.listIds(s.object, ctx)) for (const id of ids) listed.add(id);
    const linked = new Set(links.map((l) => (side === 'left' ? l.leftId : l.rightId)));
    const base = { system: s.system, object: s.object, occurredAt: options.clock.now().toISOString(), fields: { ...s.params } };
    for (const id of linked) {
      if (listed.has(id)) continue;
      report.deleted += 1;
      events.push({ ...base, remoteId: id, eventId: `reconcile:${runId}:${id}`, kind: 'delete' });
    }
    for (const id of listed) {
      if (linked.has(id)) continue;
      report.missing += 1;
      events.push({ ...base, remoteId: id, eventId: `reconcile:${runId}:${id}`, kind: 'upsert' });
    }
  }
  if (events.length > 0) {
    await withTransaction(options.db, (trx) => insertInboxEvents(trx, events, options.clock.now()));
    options.onStored?.();
  }
  options.metrics.reconcileDrift.set({ pair: mapping.pair, kind: 'deleted' }, report.deleted);
  options.metrics.reconcileDrift.set({ pair: mapping.pair, kind: 'missing' }, report.missing);
  options.log.info({ event: runtimeEvents.reconcileDrift, pair: mapping.pair, ...report }, 'reconcile pass done');
  return report;
}

export interface ReconcileScheduler {
  start(): void;
  stop(): Promise<void>;
  runNow(pair: string): Promise<ReconcileReport | undefined>;
}

export function createReconcileScheduler(options: ReconcileOptions, mappings: readonly CompiledMapping[]): ReconcileScheduler {
  const tasks: ScheduledTask[] = [];
  const running = new Map<string, Promise<ReconcileReport | undefined>>();
  const controller = new AbortController();
  const runNow = (pair: string): Promise<ReconcileReport | undefined> => {
    const mapping = mappings.find((m) => m.pair === pair);
    if (!mapping) return Promise.resolve(undefined);
    const current = running.get(pair);
    if (current) return current;
    const run = reconcilePair(options, mapping, controller.signal).catch((err: unknown) => {
      options.log.error({ event: 'reconcile:pass:failed', pair, err }, 'reconcile pass failed; it runs again on schedule');
      return undefined;
    }).finally(() => running.delete(pair));
    running.set(pair, run);
    return run;
  };
  return {
    start() {
      for (const m of mappings) {
        if (!cron.validate(m.reconcile)) continue;
        const task = cron.createTask(m.reconcile, () => { void runNow(m.pair); }, { name: `reconcile:${m.pair}` });
        void task.start();
        tasks.push(task);
      }
    },
    async stop() {
      await Promise.all(tasks.map((t) => t.destroy()));
      controller.abort();
      await Promise.all([...running.values()]);
    },
    runNow,
  };
}
