/**
 * 2. Webhook ingest through the real webhook server (`createPublicServer`): HubSpot v3-signed requests are
 * verified, parsed and stored in the inbox by the group-commit writer before the answer. The same server
 * gets a bare no-op route, measured in the same run as the baseline. A load worker on the other core sends
 * (a) as fast as answers come back, `concurrency` at a time, for throughput, and (b) a fixed offered load,
 * for answer latency. Events stored are counted in the inbox afterwards, so the figure is durable events.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createHubspotConnector } from '../src/connectors/hubspot/hubspot-connector.js';
import { createPublicServer } from '../src/runtime/http/public-server.js';
import { createRuntimeMetrics } from '../src/runtime/metrics.js';
import { createStoreInboxSink } from '../src/runtime/store-adapters/store-inbox-sink.js';
import { systemClock } from '../src/shared/clock.js';
import { asSystemId } from '../src/shared/ids.js';
import { silentLogger } from '../src/shared/logger.js';
import type { StoreDialect } from '../src/store/database.js';
import { createInboxWriter } from '../src/store/inbox-writer.js';
import { openBenchStore } from './support/bench-store.js';
import type { Benchmark, BenchOptions, Figure } from './support/figures.js';
import type { LoadResult } from './support/load-worker.js';
import { percentile } from './support/percentiles.js';
import { runLoad } from './support/run-load.js';

const SECRET = 'bench-hubspot-client-secret';
export const CONCURRENCY = 32;
/** The fixed offered load for the latency figures: requests per second. */
export const OFFERED_RATE = 100;

async function run(options: BenchOptions, dialect: StoreDialect | undefined): Promise<Figure[]> {
  const d = dialect ?? 'sqlite';
  const seconds = options.quick ? 3 : 8;
  const bench = await openBenchStore(d);
  const writer = createInboxWriter(bench.store.db);
  const connector = createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: 'http://127.0.0.1:1', credentials: {}, emulator: true });
  const app = createPublicServer({
    endpoint: (s) => (s === 'hubspot' ? { system: asSystemId('hubspot'), handler: connector.webhook!, secrets: { secret: SECRET } } : undefined),
    inbox: createStoreInboxSink(writer), clock: systemClock, log: silentLogger,
    metrics: createRuntimeMetrics({ processMetrics: false }), probes: () => [],
  });
  app.post('/bench/noop', async () => ({ ok: true }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  let firstEventId = 1;
  // Main-thread busy time of the server per route: what a request costs this process, whatever the load
  // generator (on the other core of two) manages to send.
  const busyMs = { hubspot: 0, noop: 0 };
  const load = async (kind: 'hubspot' | 'noop', mode: 'closed' | 'open', durationMs: number): Promise<LoadResult> => {
    const elu0 = performance.eventLoopUtilization();
    const r = await runLoad({
      url: kind === 'hubspot' ? `${base}/webhooks/hubspot` : `${base}/bench/noop`, kind, secret: SECRET, mode, concurrency: mode === 'closed' ? CONCURRENCY : 256,
      rate: OFFERED_RATE, durationMs, maxRequests: 1_000_000, eventsPerRequest: 1, firstEventId, objects: 10_000,
    });
    firstEventId += r.sent + 1;
    if (mode === 'closed') busyMs[kind] += performance.eventLoopUtilization(elu0).active;
    if (r.failed > 0) throw new Error(`${kind} ${mode}: ${r.failed} of ${r.sent} requests failed: ${JSON.stringify(r.statuses)}`);
    return r;
  };
  try {
    options.say(`webhook-ingest [${d}]: warm-up, then ${seconds} s per measurement`);
    await load('noop', 'closed', options.quick ? 500 : 1000);
    await load('hubspot', 'closed', options.quick ? 500 : 1000);
    // The machine is shared: measurements alternate in short rounds, so a busy spell weighs on both routes alike.
    const rounds = options.quick ? 2 : 5;
    const segmentMs = (seconds * 1000) / rounds;
    const noop = emptyTotal();
    const ingest = emptyTotal();
    const stored0 = await inboxCount(bench);
    busyMs.hubspot = 0;
    busyMs.noop = 0;
    for (let i = 0; i < rounds; i++) {
      add(noop, await load('noop', 'closed', segmentMs));
      add(ingest, await load('hubspot', 'closed', segmentMs));
    }
    await writer.flush();
    const stored = (await inboxCount(bench)) - stored0;
    const noopRate = noop.ok / noop.seconds;
    const ingestRate = stored / ingest.seconds;
    const noopOpen = emptyTotal();
    const ingestOpen = emptyTotal();
    for (let i = 0; i < rounds; i++) {
      add(noopOpen, await load('noop', 'open', segmentMs));
      add(ingestOpen, await load('hubspot', 'open', segmentMs));
    }
    const p = (r: LoadResult, q: number) => percentile(r.latenciesMs, q);
    return [
      {
        bench: 'webhook-ingest', name: `verified, stored events/s (1 event/request, ${CONCURRENCY} in flight) [${d}]`, value: ingestRate, unit: 'events/s',
        baseline: { name: 'bare no-op route, req/s', value: noopRate }, ratio: ingestRate / noopRate,
        note: `${stored} events stored of ${ingest.ok} answered 200`,
      },
      {
        bench: 'webhook-ingest', name: `server main-thread time per request [${d}]`, value: busyMs.hubspot / ingest.ok, unit: 'ms',
        baseline: { name: 'bare no-op route, ms', value: busyMs.noop / noop.ok }, ratio: (busyMs.hubspot / ingest.ok) / (busyMs.noop / noop.ok),
        note: `1 / this = ${Math.round(ingest.ok / busyMs.hubspot * 1000)} events/s if the server had a core to itself`,
      },
      {
        bench: 'webhook-ingest', name: `answer latency p50 at ${OFFERED_RATE} req/s [${d}]`, value: p(ingestOpen, 50), unit: 'ms',
        baseline: { name: 'no-op route p50', value: p(noopOpen, 50) }, ratio: p(ingestOpen, 50) / p(noopOpen, 50),
      },
      {
        bench: 'webhook-ingest', name: `answer latency p99 at ${OFFERED_RATE} req/s [${d}]`, value: p(ingestOpen, 99), unit: 'ms',
        baseline: { name: 'no-op route p99', value: p(noopOpen, 99) }, ratio: p(ingestOpen, 99) / p(noopOpen, 99),
      },
    ];
  } finally {
    await app.close();
    await writer.close();
    await bench.dispose();
  }
}

function emptyTotal(): LoadResult {
  return { sent: 0, ok: 0, failed: 0, statuses: {}, seconds: 0, latenciesMs: [] };
}

function add(total: LoadResult, r: LoadResult): void {
  total.sent += r.sent;
  total.ok += r.ok;
  total.seconds += r.seconds;
  total.latenciesMs.push(...r.latenciesMs);
}

async function inboxCount(bench: { store: { db: import('../src/store/database.js').StoreDatabase['db'] } }): Promise<number> {
  const row = await bench.store.db.selectFrom('inbox').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export const webhookIngest: Benchmark = { name: 'webhook-ingest', title: 'webhook ingest vs the bare route; answer latency', perDialect: true, run };
