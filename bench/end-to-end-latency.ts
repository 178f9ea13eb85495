/**
 * 3. End-to-end latency: a contact is edited in the HubSpot emulator as a user would (the emulator sends a
 * signed webhook), and the clock stops when the matching write to Mailchimp has been answered. In between
 * runs the daemon's own path: webhook server -> inbox group commit -> inbox consumer (keyed queue) -> pair
 * work (batched read, merge, plan) -> Mailchimp connector write -> commit. Changes go one at a time, each
 * with a deadline, on pairs linked by an initial sync first.
 */
import { performance } from 'node:perf_hooks';
import type { Connector } from '../src/connectors/contract.js';
import { syncPair } from '../src/engine/sync/sync-pair.js';
import { createInboxConsumer } from '../src/runtime/daemon/inbox-consumer.js';
import { createMassChangeGuard } from '../src/runtime/daemon/mass-change-guard.js';
import { createPairWork } from '../src/runtime/daemon/pair-work.js';
import { createPublicServer } from '../src/runtime/http/public-server.js';
import { createRuntimeMetrics } from '../src/runtime/metrics.js';
import { createStoreDeadLetterSink } from '../src/runtime/store-adapters/store-dead-letter-sink.js';
import { createStoreInboxSink } from '../src/runtime/store-adapters/store-inbox-sink.js';
import { systemClock } from '../src/shared/clock.js';
import { asBatchId, asSystemId } from '../src/shared/ids.js';
import { silentLogger } from '../src/shared/logger.js';
import type { StoreDialect } from '../src/store/database.js';
import { createInboxWriter } from '../src/store/inbox-writer.js';
import { openBenchStore } from './support/bench-store.js';
import { contactProps, memberBody, startEmulatedPair } from './support/emulated-pair.js';
import type { Benchmark, BenchOptions, Figure } from './support/figures.js';
import { percentile } from './support/percentiles.js';

const CONTACTS = 50;
const DEADLINE_MS = 15_000;

async function run(options: BenchOptions, dialect: StoreDialect | undefined): Promise<Figure[]> {
  const d = dialect ?? 'sqlite';
  const changes = options.quick ? 20 : 60;
  const bench = await openBenchStore(d);
  const db = bench.store.db;
  const writer = createInboxWriter(db);
  const metrics = createRuntimeMetrics({ processMetrics: false });
  // The server needs the emulator's secret and the emulator the server's URL: the endpoint reads it late.
  let secret = '';
  let onStored = () => {};
  const hubspotHandler = (await import('../src/connectors/hubspot/hubspot-connector.js'))
    .createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: 'http://127.0.0.1:1', credentials: {}, emulator: true }).webhook!;
  const app = createPublicServer({
    endpoint: (s) => (s === 'hubspot' ? { system: asSystemId('hubspot'), handler: hubspotHandler, secrets: { secret } } : undefined),
    inbox: createStoreInboxSink(writer), clock: systemClock, log: silentLogger, metrics, probes: () => [],
    onStored: () => onStored(),
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const pair = await startEmulatedPair({ hubspotWebhookUrl: `${base}/webhooks/hubspot` });
  secret = pair.hubspot.credentials.clientSecret;
  // Webhooks for the first contact property edits only: every property would add nothing but load.
  await fetch(`${pair.hubspot.url}/__emulator/webhooks`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subscriptions: [{ eventType: 'contact.propertyChange', propertyName: 'firstname' }] }),
  });

  // Writes answered by Mailchimp, by member id: the moment the change reached the target.
  const written = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const mailchimp = pair.connections.mailchimp.connector;
  const timedConnector: Connector = {
    ...mailchimp,
    async write(object, ops, ctx) {
      const results = await mailchimp.write(object, ops, ctx);
      const at = performance.now();
      for (const op of ops) {
        const id = 'id' in op && typeof op.id === 'string' ? op.id : undefined;
        if (id) { written.set(id, at); waiters.get(id)?.(); }
      }
      return results;
    },
  };
  pair.connections.mailchimp = { ...pair.connections.mailchimp, connector: timedConnector };
  const session = pair.session(db);
  const consumer = createInboxConsumer({
    db, owner: 'bench', mappings: () => [pair.mapping], store: () => session.store,
    work: createPairWork({
      session: () => session, db, guard: createMassChangeGuard({ clock: systemClock }), clock: systemClock, log: silentLogger, metrics,
      batchIdFor: async () => batchId, isPaused: () => false, onPaused: () => {},
    }),
    deadLetters: createStoreDeadLetterSink(db, systemClock), clock: systemClock, log: silentLogger, metrics,
  });
  const batchId = asBatchId(`bench-${Date.now()}`);
  try {
    const contactIds = await pair.seed('hubspot', Array.from({ length: CONTACTS }, (_, i) => contactProps(i)));
    await pair.seed('mailchimp', Array.from({ length: CONTACTS }, (_, i) => memberBody(i)));
    const initial = await syncPair(session.depsFor(pair.mapping.pair));
    if (!initial.quiescent) throw new Error('the initial sync of the latency pair did not settle');
    await session.store.startBatch({ id: batchId, pair: pair.mapping.pair, kind: 'sync', startedAt: systemClock.now().toISOString() });
    const links = await db.selectFrom('links').select(['left_id', 'right_id']).execute();
    const memberOf = new Map(links.map((l) => [l.left_id, l.right_id]));
    onStored = () => consumer.wake();
    consumer.start();

    const latencies: number[] = [];
    let missed = 0;
    options.say(`end-to-end [${d}]: ${changes} changes, one at a time`);
    for (let i = 0; i < changes; i++) {
      const contact = contactIds[i % contactIds.length]!;
      const member = memberOf.get(contact);
      if (!member) throw new Error(`contact ${contact} was not linked by the initial sync`);
      written.delete(member);
      const done = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { waiters.delete(member); resolve(false); }, DEADLINE_MS);
        waiters.set(member, () => { clearTimeout(timer); waiters.delete(member); resolve(true); });
      });
      const started = performance.now();
      const res = await fetch(`${pair.hubspot.url}/__emulator/records/contacts/${contact}`, {
        method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ firstname: `Edited ${i}` }),
      });
      if (!res.ok) throw new Error(`editing contact ${contact}: ${res.status} ${await res.text()}`);
      if (await done) latencies.push(written.get(member)! - started);
      else missed += 1;
    }
    const note = `${latencies.length} of ${changes} changes reached Mailchimp within ${DEADLINE_MS / 1000} s${missed > 0 ? `; ${missed} MISSED` : ''}`;
    return [
      { bench: 'end-to-end', name: `webhook sent -> write at target, p50 [${d}]`, value: percentile(latencies, 50), unit: 'ms', note },
      { bench: 'end-to-end', name: `webhook sent -> write at target, p99 [${d}]`, value: percentile(latencies, 99), unit: 'ms' },
    ];
  } finally {
    await consumer.stopIntake();
    await consumer.drain(AbortSignal.timeout(5000));
    await pair.close();
    await app.close();
    await writer.close();
    await bench.dispose();
  }
}

export const endToEndLatency: Benchmark = { name: 'end-to-end', title: 'latency from a source change to the write at the target', perDialect: true, run };
