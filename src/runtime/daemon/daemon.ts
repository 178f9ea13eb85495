/**
 * `concord run` assembled (DESIGN §2, §7, §8): config and mappings validated (a bad file stops
 * start-up with file:line:col), the store opened and migrated, unfinished journal intents resolved,
 * one connection per system (limiter, retries, circuit, metrics, OAuth tokens in the encrypted token
 * store), the webhook server with health, readiness and metrics, the inbox consumer feeding the keyed
 * queue, pollers, the reconcile pass, the mass-change guard, the dead-man's switch, hot reload, and a
 * graceful shutdown on SIGTERM.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Env } from '../../config/env-interpolation.js';
import { createEngineSession, type EngineSession } from '../../engine/session/engine-session.js';
import { createEngineStore } from '../../engine/state/kysely-engine-store.js';
import type { CompiledMapping } from '../../mapping/compiled-types.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { asBatchId, type BatchId } from '../../shared/ids.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { countPendingInbox } from '../../store/inbox.js';
import { createInboxWriter } from '../../store/inbox-writer.js';
import { openStore } from '../../store/migrate.js';
import { getPairState, listPausedPairs } from '../../store/pair-state.js';
import { createPublicServer } from '../http/public-server.js';
import { createHotReload, type HotReload } from '../lifecycle/hot-reload.js';
import { createShutdown, type Shutdown } from '../lifecycle/shutdown.js';
import { createRuntimeMetrics, type RuntimeMetrics } from '../metrics.js';
import { createPollScheduler, type PollScheduler } from '../poll/poll-scheduler.js';
import { createStoreDeadLetterSink } from '../store-adapters/store-dead-letter-sink.js';
import { createStoreInboxSink } from '../store-adapters/store-inbox-sink.js';
import { createStoreProbe } from '../store-adapters/store-probe.js';
import { registerStatusRoute } from './admin-status-route.js';
import { loadDaemonWorkspace, readDaemonWorkspace } from './daemon-workspace.js';
import { createInboxConsumer } from './inbox-consumer.js';
import { PairRecoveringError, startRecoveryAtStart } from './recover-at-start.js';
import { createIntakePollJobs, intakesOf } from './intake-polls.js';
import { createMassChangeGuard } from './mass-change-guard.js';
import { createPairWork, type PairWork, type WorkCounters } from './pair-work.js';
import { createReconcileScheduler, type ReconcileScheduler } from './reconcile-pass.js';
import { readStoreStatus, type LiveStatus, type StoreStatus } from './status-report.js';
import { openSystemAccess } from './system-access.js';

export interface DaemonOptions {
  configPath: string;
  env?: Env;
  cwd?: string;
  clock?: Clock;
  /** Default: pino JSON on standard output at the config's `logging.level`. */
  log?: Logger;
  /** Overrides `http.port` (0: any free port). */
  port?: number;
  /** Attempts per API call and per work item, and the first retry delay. Default is 5 attempts from 1000 ms. */
  retry?: { attempts?: number; baseMs?: number };
  /** Listen for SIGTERM/SIGINT. Default is false (the CLI turns it on). */
  installSignals?: boolean;
  /** How the process ends after shutdown. Default is process.exit; in-process users pass a no-op. */
  exit?: (code: number) => void;
  /** Bound of each shutdown step. Default is 20 000 ms. */
  shutdownTimeoutMs?: number;
  /** Waits between attempts of a pair's start-up recovery that failed. Default is 2000 ms doubling up to 60 000 ms. */
  recovery?: { baseDelayMs?: number; maxDelayMs?: number };
}

export interface RunningDaemon {
  /** The HTTP server's URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly metrics: RuntimeMetrics;
  readonly counters: WorkCounters;
  readonly mappings: () => readonly CompiledMapping[];
  readonly session: () => EngineSession;
  /** True when nothing is waiting in the inbox or the queue. */
  isIdle(): Promise<boolean>;
  pollNow(): Promise<void>;
  reconcileNow(): Promise<void>;
  status(): Promise<{ live: LiveStatus; store: StoreStatus }>;
  hotReload: HotReload<EngineSession>;
  /** Graceful shutdown; resolves with the exit code. */
  stop(reason?: string): Promise<number>;
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now().toISOString();
  const workspace = await loadDaemonWorkspace(options.configPath, env, cwd);
  const { config } = workspace;
  const log = options.log ?? createLogger({ level: config.logging.level });
  const db = await openStore(config.database.url.startsWith('postgres') || config.database.url.startsWith('sqlite:') ? config.database.url : resolve(cwd, config.database.url));
  log.info({ event: 'daemon:store:opened', database: db.displayUrl, migrated: db.applied }, 'store opened');

  const metrics = createRuntimeMetrics();
  const used = new Set(workspace.mappings.flatMap((m) => [m.left.system, m.right.system]));
  const access = await openSystemAccess({ config, db: db.db, used, env, clock, log, metrics, ...(options.retry ? { retry: options.retry } : {}) });
  const { circuits } = access;
  const connections = access.connect(used);
  const engineStore = createEngineStore(db.db, clock);
  const abort = new AbortController();
  const runnable = (mappings: readonly CompiledMapping[]) => mappings.filter((m) => connections.get(m.left.system) && connections.get(m.right.system));
  const buildSession = (mappings: readonly CompiledMapping[]) => createEngineSession({
    store: engineStore, mappings: runnable(mappings), clock, log, signal: abort.signal,
    connectors: (system) => {
      const c = connections.get(system);
      if (!c) throw new Error(`system ${system} has no connection`);
      return c;
    },
  });
  for (const m of workspace.mappings) {
    if (!runnable([m]).length) log.warn({ event: 'daemon:pair:disabled', pair: m.pair }, `pair ${m.pair} does not run: one of its systems is disabled`);
  }

  const initial = buildSession(workspace.mappings);

  const hotReload = createHotReload<EngineSession>({
    dir: resolve(cwd, config.mappings), initial, log,
    reload: async () => {
      const read = await readDaemonWorkspace(options.configPath, env, cwd);
      return read.ok ? { ok: true, config: buildSession(read.workspace.mappings) } : { ok: false, problems: read.problems.filter((p) => p.severity === 'error') };
    },
  });
  const session = () => hotReload.current();

  const paused = new Set((await listPausedPairs(db.db)).map((p) => p.pair));
  const guard = createMassChangeGuard({ clock });
  const batches = new Map<string, Promise<BatchId>>();
  const batchIdFor = (pair: string) => {
    let b = batches.get(pair);
    if (!b) {
      const id = asBatchId(randomUUID());
      b = engineStore.startBatch({ id, pair, kind: 'sync', startedAt: clock.now().toISOString() }).then(() => id);
      batches.set(pair, b);
    }
    return b;
  };
  const work = createPairWork({
    session, db: db.db, guard, clock, log, metrics, batchIdFor,
    isPaused: (pair) => paused.has(pair), onPaused: (pair) => paused.add(pair),
  });
  // Writes cut short by the last stop are resolved before anything new is written for their pair (DESIGN §7): until
  // then the pair's work is held, as for a paused pair, and released when its recovery is done.
  const gatedWork: PairWork = {
    counters: work.counters,
    submit: (pair, items) => (recovery.isWaiting(pair) ? Promise.reject(new PairRecoveringError(pair)) : work.submit(pair, items)),
  };
  const consumer = createInboxConsumer({
    db: db.db, owner: `${hostname()}:${process.pid}`, mappings: () => session().mappings.values(), store: () => session().store,
    work: gatedWork, deadLetters: createStoreDeadLetterSink(db.db, clock), clock, log, metrics,
    retry: { attempts: options.retry?.attempts ?? 5, baseMs: options.retry?.baseMs ?? 1000 },
  });
  const recovery = startRecoveryAtStart({ session: initial, log, clock, onRecovered: (pair) => consumer.release(pair), ...options.recovery });

  const writer = createInboxWriter(db.db, { clock });
  const adminToken = config.http.admin_token;
  const app: FastifyInstance = createPublicServer({
    endpoint: (system) => connections.webhookEndpoint(system),
    inbox: createStoreInboxSink(writer), clock, log, metrics,
    onStored: () => consumer.wake(),
    probes: () => [createStoreProbe(db.db), ...circuits.probes(), ...connections.probes(), ...recoveryProbes()],
    admin: { host: config.http.host, ...(adminToken ? { token: adminToken } : {}) },
  });
  // A pair counts as not ready once an attempt failed, not while its first attempt runs (every pair, at each start).
  const recoveryProbes = () => Object.entries(recovery.waiting()).filter(([, w]) => w.lastError !== undefined).map(([pair, w]) => ({
    name: `recovery:${pair}`,
    check: async () => ({ ok: false, detail: `waiting since ${w.since} for its unfinished writes to be resolved (${w.attempts} attempt(s), next at ${w.nextAttemptAt}): ${w.lastError}` }),
  }));
  const liveStatus = (): LiveStatus => ({
    startedAt, queueDepth: consumer.depth, pendingRows: consumer.pendingRows,
    systems: Object.fromEntries(connections.systems.map((s) => {
      const h = connections.health(s);
      return [s, { healthy: h.ok, ...(h.detail ? { detail: h.detail } : {}), circuit: circuits.state(s) }];
    })),
    held: Object.fromEntries([...session().mappings.keys()].map((p) => [p, consumer.held(p)])),
    waiting: Object.fromEntries([...session().mappings.keys()].map((p) => [p, consumer.waiting(p)])),
    recovering: recovery.waiting(),
    counters: work.counters,
  });
  const status = async () => ({ live: liveStatus(), store: await readStoreStatus(db.db, [...session().mappings.values()], clock.now()) });
  registerStatusRoute(app, adminToken, status);

  const pollOptions = { db: db.db, connection: (s: string) => connections.get(s), clock, log, onStored: () => consumer.wake() };
  const makePolls = (mappings: Iterable<CompiledMapping>) => createPollScheduler({
    jobs: createIntakePollJobs(pollOptions, intakesOf(mappings, (s) => connections.get(s) !== undefined)), clock, log, metrics,
  });
  const reconcileOptions = { ...pollOptions, session, metrics };
  let polls: PollScheduler = makePolls(initial.mappings.values());
  let reconcile: ReconcileScheduler = createReconcileScheduler(reconcileOptions, [...initial.mappings.values()]);
  const pollAll = async (scheduler: PollScheduler, mappings: Iterable<CompiledMapping>) => {
    const jobs = intakesOf(mappings, (s) => connections.get(s) !== undefined);
    await Promise.all(jobs.map((j) => scheduler.runNow(j.pair, j.key)));
  };
  hotReload.onReload((outcome) => {
    if (!outcome.ok) return;
    const old = polls;
    const oldReconcile = reconcile;
    polls = makePolls(outcome.config.mappings.values());
    reconcile = createReconcileScheduler(reconcileOptions, [...outcome.config.mappings.values()]);
    void old.stop().then(() => { polls.start(); });
    void oldReconcile.stop().then(() => { reconcile.start(); });
  });

  // Approval comes from another process (`concord approve`): paused pairs are looked at every 2 s.
  const pauseWatch = setInterval(() => {
    // Work held by a pair's recovery in the instant it ended is released here; it would otherwise stay held.
    for (const pair of session().mappings.keys()) {
      if (!paused.has(pair) && !recovery.isWaiting(pair) && consumer.held(pair) > 0) consumer.release(pair);
    }
    void (async () => {
      for (const pair of [...paused]) {
        if ((await getPairState(db.db, pair)).paused) continue;
        paused.delete(pair);
        guard.approved(pair);
        consumer.release(pair);
        log.info({ event: 'guard:pair:approved', pair }, `pair ${pair} approved: held work goes on`);
      }
    })().catch((err: unknown) => log.error({ event: 'guard:watch:failed', err }, 'reading paused pairs failed'));
  }, 2000);

  const address = await app.listen({ host: config.http.host, port: options.port ?? config.http.port });
  consumer.start();
  polls.start();
  reconcile.start();
  hotReload.start();
  // Catch up at start: what changed while the daemon was down (or everything, on the first start).
  void pollAll(polls, initial.mappings.values());
  log.info({ event: 'daemon:process:started', url: address, pairs: [...initial.mappings.keys()], systems: connections.systems }, `concord listening on ${address}`);

  const shutdown: Shutdown = createShutdown({
    timeoutMs: options.shutdownTimeoutMs ?? 20_000, log, exit: options.exit ?? ((code) => process.exit(code)),
    steps: [
      { name: 'intake', run: async () => {
        clearInterval(pauseWatch);
        recovery.stop();
        hotReload.stop();
        await app.close();
        await Promise.all([polls.stop(), reconcile.stop()]);
        await consumer.stopIntake();
      } },
      { name: 'drain', run: (signal) => consumer.drain(signal) },
      { name: 'batches', run: async () => {
        abort.abort();
        await recovery.settled();
        for (const [pair, b] of batches) {
          await engineStore.finishBatch(await b, clock.now().toISOString(), { pair, ...work.counters });
        }
      } },
      { name: 'limiters', run: () => access.close() },
      { name: 'inbox', run: () => writer.close() },
      { name: 'store', run: () => db.close() },
    ],
  });
  const uninstall = options.installSignals ? shutdown.install() : () => {};

  return {
    url: address,
    metrics,
    counters: work.counters,
    mappings: () => [...session().mappings.values()],
    session,
    hotReload,
    async isIdle() {
      return consumer.depth === 0 && consumer.pendingRows === 0 && (await countPendingInbox(db.db)) === 0;
    },
    pollNow: () => pollAll(polls, session().mappings.values()),
    async reconcileNow() {
      await Promise.all([...session().mappings.keys()].map((p) => reconcile.runNow(p)));
    },
    status,
    async stop(reason = 'stop') {
      const code = await shutdown.trigger(reason);
      uninstall();
      return code;
    },
  };
}
