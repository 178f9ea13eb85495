/**
 * 6. Memory: peak RSS of a process running the daemon's parts on a store holding 1,000,000 links
 * (`memory-child.ts`, in a child process of its own so nothing of this runner counts), against the same
 * process on the same store with only the 100 links the emulators know, measured in the same run. Both
 * children do the same work: one poll cycle finding 100 edited contacts, and the consumer syncing them.
 * On SQLite, whose page cache lives in the process, so the store's share of memory shows.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { syncPair } from '../src/engine/sync/sync-pair.js';
import { openBenchStore } from './support/bench-store.js';
import { contactProps, memberBody, startEmulatedPair, type EmulatedPair } from './support/emulated-pair.js';
import type { Benchmark, BenchOptions, Figure } from './support/figures.js';
import { seedLinks } from './support/seed-links.js';
import type { MemoryChildInput, MemoryChildOutput } from './memory-child.js';

const LINKED = 100;
const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));

function runChild(input: MemoryChildInput): Promise<MemoryChildOutput> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, CONCORD_BENCH_MEMORY_INPUT: JSON.stringify(input) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => proc.kill('SIGKILL'), 180_000);
    proc.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    proc.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    proc.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
      if (code !== 0 || !line) reject(new Error(`memory child exited with ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(line) as MemoryChildOutput);
    });
  });
}

async function editAll(pair: EmulatedPair, ids: readonly string[], round: number): Promise<void> {
  for (const id of ids) {
    const res = await fetch(`${pair.hubspot.url}/__emulator/records/contacts/${id}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lastname: `Round ${round}` }),
    });
    if (!res.ok) throw new Error(`editing contact ${id}: ${res.status}`);
  }
}

async function run(options: BenchOptions): Promise<Figure[]> {
  const big = options.quick ? 100_000 : 1_000_000;
  const pair = await startEmulatedPair();
  const bench = await openBenchStore('sqlite');
  try {
    const ids = await pair.seed('hubspot', Array.from({ length: LINKED }, (_, i) => contactProps(i)));
    await pair.seed('mailchimp', Array.from({ length: LINKED }, (_, i) => memberBody(i)));
    const first = await syncPair(pair.session(bench.store.db).depsFor(pair.mapping.pair));
    if (!first.quiescent) throw new Error('the first sync of the memory pair did not settle');
    const input: MemoryChildInput = {
      databaseUrl: bench.url,
      hubspot: { url: pair.hubspot.url, token: pair.hubspot.credentials.privateAppToken },
      mailchimp: { url: pair.mailchimp.url, apiKey: pair.mailchimp.credentials.apiKey },
    };
    await editAll(pair, ids, 1);
    options.say(`memory: child on ${LINKED} links`);
    const small = await runChild(input);
    await seedLinks(bench.store.db, 'sqlite', { pair: pair.mapping.pair, from: LINKED, to: big });
    // The seed blocks the event loop for seconds; keep-alive sockets closed meanwhile must settle before reuse.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await editAll(pair, ids, 2);
    options.say(`memory: child on ${big.toLocaleString('en-US')} links`);
    const large = await runChild(input);
    const work = (o: MemoryChildOutput) => `${o.links.toLocaleString('en-US')} links, ${o.changes} changes polled, ${o.committed} committed, heap ${o.heapUsedMb.toFixed(0)} MB`;
    return [{
      bench: 'memory', name: `peak RSS of the daemon's parts holding ${big.toLocaleString('en-US')} links [sqlite]`, value: large.maxRssMb, unit: 'MB',
      baseline: { name: `same with ${LINKED} links, MB`, value: small.maxRssMb }, ratio: large.maxRssMb / small.maxRssMb,
      note: `large: ${work(large)}; small: ${work(small)}`,
    }];
  } finally {
    await bench.dispose();
    await pair.close();
  }
}

export const memory: Benchmark = { name: 'memory', title: 'peak RSS of a process holding 1,000,000 links', perDialect: false, run };
