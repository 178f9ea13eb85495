/**
 * 4. Polling cost: one poll cycle (the daemon's intake polls for HubSpot contacts and Mailchimp members:
 * list changes since the stored cursor with the overlap window, look each record up by link and base,
 * store the changes in the inbox with the cursor) at 10,000 / 100,000 / 1,000,000 linked records, with no
 * changes and with 100 changes. The emulators hold the 100 linked contacts and members that change; the
 * other links are seeded straight into the store, with the record shadows the engine keeps. Figures: time of a cycle and rows the store returned to
 * it; the planner is asked whether any statement of the cycle reads a whole table. Flat is the goal.
 */
import { performance } from 'node:perf_hooks';
import { syncPair } from '../src/engine/sync/sync-pair.js';
import { createIntakePollJobs, intakesOf } from '../src/runtime/daemon/intake-polls.js';
import { systemClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';
import type { StoreDialect } from '../src/store/database.js';
import { openBenchStore } from './support/bench-store.js';
import { seedLinks } from './support/seed-links.js';
import { contactProps, memberBody, startEmulatedPair } from './support/emulated-pair.js';
import type { Benchmark, BenchOptions, Figure } from './support/figures.js';
import { percentile } from './support/percentiles.js';
import { createQueryCounter } from './support/query-counter.js';

const CHANGED = 100;

async function run(options: BenchOptions, dialect: StoreDialect | undefined): Promise<Figure[]> {
  const d = dialect ?? 'sqlite';
  const sizes = options.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const repeats = 5;
  // Time is the median of `repeats` cycles (the machine is shared); rows and statements are the same each time.
  const pair = await startEmulatedPair();
  const bench = await openBenchStore(d);
  const counter = createQueryCounter(bench.store.db, d);
  const figures: Figure[] = [];
  try {
    const contactIds = await pair.seed('hubspot', Array.from({ length: CHANGED }, (_, i) => contactProps(i)));
    await pair.seed('mailchimp', Array.from({ length: CHANGED }, (_, i) => memberBody(i)));
    const session = pair.session(counter.db);
    const linked = await syncPair(session.depsFor(pair.mapping.pair));
    if (!linked.quiescent) throw new Error('the first sync of the polling pair did not settle');
    const jobs = createIntakePollJobs({
      db: counter.db, clock: systemClock, log: silentLogger,
      connection: (system) => (system === 'hubspot' || system === 'mailchimp' ? pair.connections[system] : undefined),
    }, intakesOf([pair.mapping], () => true));
    const cycle = async () => {
      counter.reset();
      const t0 = performance.now();
      let changes = 0;
      for (const job of jobs) changes += (await job.pollOnce(new AbortController().signal)).changes;
      const ms = performance.now() - t0;
      const top = counter.slowest(2).map((q) => `${q.sql.replace(/\s+/g, ' ').slice(0, 60)}... x${q.runs} ${q.ms.toFixed(0)} ms`);
      return { ms, rows: counter.rows, statements: counter.statements, storeMs: counter.storeMs, changes, top };
    };
    await cycle();
    let have = CHANGED;
    const busyStoreMs: number[] = [];
    let round = 0;
    for (const size of sizes) {
      const seedStart = performance.now();
      await seedLinks(bench.store.db, d, { pair: pair.mapping.pair, from: have, to: size });
      options.say(`polling-cost [${d}]: ${size.toLocaleString('en-US')} links with their record shadows, seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
      have = size;
      // SQLite seeds synchronously and blocks the event loop for seconds; the emulator's keep-alive timers
      // then close idle sockets just as the client would reuse them (ECONNRESET). Let both sides settle.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const quiet = [];
      for (let i = 0; i < repeats; i++) quiet.push(await cycle());
      const quietScans = await counter.fullScans();
      // Each busy cycle finds the 100 contacts edited just before it; the median of `repeats` rounds.
      const busyRuns = [];
      for (let i = 0; i < repeats; i++) {
        round += 1;
        for (const id of contactIds) {
          const res = await fetch(`${pair.hubspot.url}/__emulator/records/contacts/${id}`, {
            method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ firstname: `Round ${round}` }),
          });
          if (!res.ok) throw new Error(`editing contact ${id}: ${res.status}`);
        }
        busyRuns.push(await cycle());
      }
      const busy = { ...busyRuns[busyRuns.length - 1]!, ms: percentile(busyRuns.map((c) => c.ms), 50) };
      busyStoreMs.push(percentile(busyRuns.map((c) => c.storeMs), 50));
      const busyScans = await counter.fullScans();
      const q = quiet[quiet.length - 1]!;
      const label = `${size.toLocaleString('en-US')} links`;
      figures.push(
        { bench: 'polling-cost', name: `no changes, ${label}: time [${d}]`, value: percentile(quiet.map((c) => c.ms), 50), unit: 'ms',
          note: `${q.changes} changes stored; full-table scans: ${quietScans.join(', ') || 'none'}` },
        { bench: 'polling-cost', name: `no changes, ${label}: rows read [${d}]`, value: q.rows, unit: 'rows', note: `${q.statements} statements, ${q.storeMs.toFixed(1)} ms waiting on the store` },
        { bench: 'polling-cost', name: `100 changes, ${label}: time [${d}]`, value: busy.ms, unit: 'ms',
          note: `${busy.changes} changes stored; full-table scans: ${busyScans.join(', ') || 'none'}; most time in: ${busy.top.join('; ')}` },
        { bench: 'polling-cost', name: `100 changes, ${label}: rows read [${d}]`, value: busy.rows, unit: 'rows', note: `${busy.statements} statements, ${busy.storeMs.toFixed(1)} ms waiting on the store` },
      );
    }
    // Flatness as a ratio: the largest size's cycle over the smallest's.
    const first = figures.filter((f) => f.name.startsWith(`100 changes, ${sizes[0]!.toLocaleString('en-US')} links: time`))[0]!;
    const last = figures.filter((f) => f.name.startsWith(`100 changes, ${sizes.at(-1)!.toLocaleString('en-US')} links: time`))[0]!;
    figures.push({
      bench: 'polling-cost', name: `100 changes: time at ${sizes.at(-1)!.toLocaleString('en-US')} / at ${sizes[0]!.toLocaleString('en-US')} links [${d}]`,
      value: last.value / first.value, unit: 'x', baseline: { name: `${sizes[0]!.toLocaleString('en-US')} links, ms`, value: first.value }, ratio: last.value / first.value,
    });
    // The part of the cycle that could grow with the links; the rest is HTTP to the emulators and the machine's load.
    const [storeFirst, storeLast] = [busyStoreMs[0]!, busyStoreMs.at(-1)!];
    figures.push({
      bench: 'polling-cost', name: `100 changes: time waiting on the store at ${sizes.at(-1)!.toLocaleString('en-US')} / at ${sizes[0]!.toLocaleString('en-US')} links [${d}]`,
      value: storeLast / storeFirst, unit: 'x', baseline: { name: `${sizes[0]!.toLocaleString('en-US')} links, ms`, value: storeFirst }, ratio: storeLast / storeFirst,
      note: `median per size: ${busyStoreMs.map((m) => m.toFixed(1)).join(' / ')} ms`,
    });
    return figures;
  } finally {
    await bench.dispose();
    await pair.close();
  }
}

export const pollingCost: Benchmark = { name: 'polling-cost', title: 'poll cycle cost at 10k / 100k / 1M links', perDialect: true, run };
