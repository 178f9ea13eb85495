/**
 * The process `memory.ts` measures: it opens a store (holding however many links the parent seeded) and runs
 * the daemon's parts on it as `concord run` would — webhook server, inbox writer, inbox consumer with pair
 * work, intake polls — against the parent's emulators: one poll cycle that finds the parent's edits, and
 * the consumer working them off. Then it prints its peak RSS and heap as JSON on stdout.
 */
import type { SystemConnection } from '../src/engine/session/engine-session.js';
import { createEngineSession } from '../src/engine/session/engine-session.js';
import { createEngineStore } from '../src/engine/state/kysely-engine-store.js';
import { createConnector } from '../src/connectors/registry.js';
import { createInboxConsumer } from '../src/runtime/daemon/inbox-consumer.js';
import { createIntakePollJobs, intakesOf } from '../src/runtime/daemon/intake-polls.js';
import { createMassChangeGuard } from '../src/runtime/daemon/mass-change-guard.js';
import { createPairWork } from '../src/runtime/daemon/pair-work.js';
import { createPublicServer } from '../src/runtime/http/public-server.js';
import { createRuntimeMetrics } from '../src/runtime/metrics.js';
import { createStoreDeadLetterSink } from '../src/runtime/store-adapters/store-dead-letter-sink.js';
import { createStoreInboxSink } from '../src/runtime/store-adapters/store-inbox-sink.js';
import { systemClock } from '../src/shared/clock.js';
import { asBatchId, asSystemId } from '../src/shared/ids.js';
import { silentLogger } from '../src/shared/logger.js';
import { createInboxWriter } from '../src/store/inbox-writer.js';
import { openStore } from '../src/store/migrate.js';
import { loadPairMapping } from './support/emulated-pair.js';

export interface MemoryChildInput {
  databaseUrl: string;
  hubspot: { url: string; token: string };
  mailchimp: { url: string; apiKey: string };
}

export interface MemoryChildOutput {
  maxRssMb: number;
  heapUsedMb: number;
  links: number;
  changes: number;
  committed: number;
}

const input = JSON.parse(process.env.CONCORD_BENCH_MEMORY_INPUT ?? '{}') as MemoryChildInput;
const store = await openStore(input.databaseUrl);
const db = store.db;
const mapping = loadPairMapping();
const connect = (kind: 'hubspot' | 'mailchimp', baseUrl: string, credentials: Record<string, string>): SystemConnection => {
  const connector = createConnector(kind, { system: asSystemId(kind), baseUrl, credentials, emulator: true });
  return { connector, http: connector.createHttpClient!({ clock: systemClock }) };
};
const connections: Record<string, SystemConnection> = {
  hubspot: connect('hubspot', input.hubspot.url, { access_token: input.hubspot.token }),
  mailchimp: connect('mailchimp', `${input.mailchimp.url}/3.0`, { api_key: input.mailchimp.apiKey }),
};
const session = createEngineSession({
  store: createEngineStore(db, systemClock), mappings: [mapping], clock: systemClock, log: silentLogger,
  connectors: (system) => connections[system]!,
});
const metrics = createRuntimeMetrics();
const writer = createInboxWriter(db);
const batchId = asBatchId(`bench-memory-${process.pid}`);
await session.store.startBatch({ id: batchId, pair: mapping.pair, kind: 'sync', startedAt: systemClock.now().toISOString() });
const work = createPairWork({
  session: () => session, db, guard: createMassChangeGuard({ clock: systemClock }), clock: systemClock, log: silentLogger, metrics,
  batchIdFor: async () => batchId, isPaused: () => false, onPaused: () => {},
});
const consumer = createInboxConsumer({
  db, owner: 'bench-memory', mappings: () => [mapping], store: () => session.store, work,
  deadLetters: createStoreDeadLetterSink(db, systemClock), clock: systemClock, log: silentLogger, metrics, idleMs: 50,
});
const app = createPublicServer({
  endpoint: () => undefined, inbox: createStoreInboxSink(writer), clock: systemClock, log: silentLogger, metrics, probes: () => [],
  onStored: () => consumer.wake(),
});
await app.listen({ port: 0, host: '127.0.0.1' });
consumer.start();
const jobs = createIntakePollJobs({
  db, clock: systemClock, log: silentLogger, connection: (s) => connections[s], onStored: () => consumer.wake(),
}, intakesOf([mapping], () => true));
let changes = 0;
for (const job of jobs) changes += (await job.pollOnce(new AbortController().signal)).changes;
// Bounded wait for the consumer to work the changes off.
const deadline = Date.now() + 60_000;
const unprocessed = async () => Number((await db.selectFrom('inbox').select((eb) => eb.fn.countAll<number>().as('n')).where('processed_at', 'is', null).executeTakeFirst())?.n ?? 0);
while (Date.now() < deadline && (await unprocessed()) > 0) await new Promise((r) => setTimeout(r, 100));
await consumer.stopIntake();
await consumer.drain(AbortSignal.timeout(10_000));
const links = Number((await db.selectFrom('links').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
const output: MemoryChildOutput = {
  maxRssMb: process.resourceUsage().maxRSS / 1024, heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20, links, changes, committed: work.counters.committed,
};
await app.close();
await writer.close();
await store.close();
process.stdout.write(`${JSON.stringify(output)}\n`);
process.exit(0);
