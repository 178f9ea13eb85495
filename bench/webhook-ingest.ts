/**
 * 2. Webhook ingest through the real webhook server (`createPublicServer`): HubSpot v3-signed requests are
 * verified, parsed and stored in the inbox by the group-commit writer before the answer. The same server
 * gets a bare no-op route, measured in the same run as the baseline, fed the same signed requests (same
 * bytes, same work for the generator). A load worker on the other core sends (a) as fast as answers come
 * back, `concurrency` at a time, for throughput, with 1 event per request and with HubSpot's batch of 100,
 * and (b) a fixed offered load, for answer latency. Events stored are counted in the inbox afterwards, so
 * the figure is durable events.
 */
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
import { openBenchStore, type BenchStore } from './support/bench-store.js';
import type { Benchmark, BenchOptions, Figure } from './support/figures.js';
import type { LoadResult } from './support/load-worker.js';
import { percentile } from './support/percentiles.js';
import { runLoad } from './support/run-load.js';

const SECRET = 'bench-hubspot-client-secret';
export const CONCURRENCY = 32;
/** The fixed offered load for the latency figures: requests per second. */
export const OFFERED_RATE = 100;
/** HubSpot delivers up to 100 events in one request (PROVIDERS.md). */
export const BATCH = 100;

type Route = 'hubspot' | 'noop';

interface Throughput {
  /** Durable events per second through the webhook route. */
  ingestRate: number;
  /** Requests per second the bare route answered. */
  noopRate: number;
  stored: number;
  answered: number;
  /** Server main-thread busy ms per request, per route. */
  busyPerRequest: Record<Route, number>;
}

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
  const load = async (route: Route, mode: 'closed' | 'open', durationMs: number, eventsPerRequest: number): Promise<LoadResult> => {
    const r = await runLoad({
      url: route === 'hubspot' ? `${base}/webhooks/hubspot` : `${base}/bench/noop`, secret: SECRET, mode,
      concurrency: mode === 'closed' ? CONCURRENCY : 256, rate: OFFERED_RATE, durationMs, maxRequests: 1_000_000,
      eventsPerRequest, firstEventId, objects: 10_000,
    });
    firstEventId += r.sent * eventsPerRequest + 1;
    if (r.failed > 0) throw new Error(`${route} ${mode}: ${r.failed} of ${r.sent} requests failed: ${JSON.stringify(r.statuses)}`);
    return r;
  };
  // The machine is shared: measurements alternate in short rounds, so a busy spell weighs on both routes alike.
  const rounds = options.quick ? 2 : 5;
  const throughput = async (eventsPerRequest: number, totalMs: number): Promise<Throughput> => {
    const segmentMs = totalMs / rounds;
    const noop = emptyTotal();
    const ingest = emptyTotal();
    const stored0 = await inboxCount(bench);
    for (let i = 0; i < rounds; i++) {
      add(noop, await load('noop', 'closed', segmentMs, eventsPerRequest));
      add(ingest, await load('hubspot', 'closed', segmentMs, eventsPerRequest));
    }
    await writer.flush();
    const stored = (await inboxCount(bench)) - stored0;
    return {
      ingestRate: stored / ingest.seconds, noopRate: noop.ok / noop.seconds, stored, answered: ingest.ok,
      busyPerRequest: { hubspot: ingest.serverBusyMs / ingest.ok, noop: noop.serverBusyMs / noop.ok },
    };
  };
  try {
    options.say(`webhook-ingest [${d}]: warm-up, then ${seconds} s per measurement`);
    await load('noop', 'closed', options.quick ? 500 : 1000, 1);
    await load('hubspot', 'closed', options.quick ? 500 : 1000, 1);
    await load('hubspot', 'closed', options.quick ? 500 : 1000, BATCH);
    const single = await throughput(1, seconds * 1000);
    const batched = await throughput(BATCH, (seconds * 1000) / 2);
    const noopOpen = emptyTotal();
    const ingestOpen = emptyTotal();
    const segmentMs = (seconds * 1000) / rounds;
    for (let i = 0; i < rounds; i++) {
      add(noopOpen, await load('noop', 'open', segmentMs, 1));
      add(ingestOpen, await load('hubspot', 'open', segmentMs, 1));
    }
    const p = (r: LoadResult, q: number) => percentile(r.latenciesMs, q);
    const coreRate = (t: Throughput, events: number) => Math.round((events / t.busyPerRequest.hubspot) * 1000);
    return [
      {
        bench: 'webhook-ingest', name: `verified, stored events/s (1 event/request, ${CONCURRENCY} in flight) [${d}]`, value: single.ingestRate, unit: 'events/s',
        baseline: { name: 'bare no-op route, same requests, req/s', value: single.noopRate }, ratio: single.ingestRate / single.noopRate,
        note: `${single.stored} events stored of ${single.answered} answered 200`,
      },
      {
        bench: 'webhook-ingest', name: `verified, stored events/s (${BATCH} events/request, ${CONCURRENCY} in flight) [${d}]`, value: batched.ingestRate, unit: 'events/s',
        baseline: { name: `bare no-op route, same requests, req/s x ${BATCH}`, value: batched.noopRate * BATCH }, ratio: batched.ingestRate / (batched.noopRate * BATCH),
        note: `${batched.stored} events stored of ${batched.answered * BATCH} answered 200; ${(batched.ingestRate / single.ingestRate).toFixed(1)} x the 1-event/request rate`,
      },
      {
        bench: 'webhook-ingest', name: `server main-thread time per request, 1 event [${d}]`, value: single.busyPerRequest.hubspot, unit: 'ms',
        baseline: { name: 'bare no-op route, ms', value: single.busyPerRequest.noop }, ratio: single.busyPerRequest.hubspot / single.busyPerRequest.noop,
        note: `1 / this = ${coreRate(single, 1)} events/s if the server had a core to itself`,
      },
      {
        bench: 'webhook-ingest', name: `server main-thread time per request, ${BATCH} events [${d}]`, value: batched.busyPerRequest.hubspot, unit: 'ms',
        baseline: { name: 'bare no-op route, ms', value: batched.busyPerRequest.noop }, ratio: batched.busyPerRequest.hubspot / batched.busyPerRequest.noop,
        note: `${BATCH} / this = ${coreRate(batched, BATCH)} events/s if the server had a core to itself`,
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
  return { sent: 0, ok: 0, failed: 0, statuses: {}, seconds: 0, latenciesMs: [], serverBusyMs: 0 };
}

function add(total: LoadResult, r: LoadResult): void {
  total.sent += r.sent;
  total.ok += r.ok;
  total.seconds += r.seconds;
  total.serverBusyMs += r.serverBusyMs;
  total.latenciesMs.push(...r.latenciesMs);
}

async function inboxCount(bench: BenchStore): Promise<number> {
  const row = await bench.store.db.selectFrom('inbox').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export const webhookIngest: Benchmark = { name: 'webhook-ingest', title: 'webhook ingest vs the bare route; answer latency', perDialect: true, run };
