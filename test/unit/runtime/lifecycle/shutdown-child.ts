/**
 * A tiny daemon for the shutdown test, run as a child process: a webhook-like server (intake), one
 * piece of in-flight work, and a "store" to close. It prints one line per step so the test can check
 * the order. With CHILD_HANG=1 the in-flight work never ends.
 */
import Fastify from 'fastify';
import { createShutdown } from '../../../../src/runtime/lifecycle/shutdown.js';
import { silentLogger } from '../../../../src/shared/logger.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const app = Fastify();
app.get('/healthz', async () => ({ status: 'ok' }));
const address = await app.listen({ port: 0, host: '127.0.0.1' });

let finishWork: () => void = () => undefined;
const inFlight = new Promise<void>((resolve) => { finishWork = resolve; });

createShutdown({
  timeoutMs: Number(process.env.CHILD_TIMEOUT_MS ?? 20_000),
  log: silentLogger,
  steps: [
    { name: 'intake', run: async () => { await app.close(); say('intake closed'); } },
    { name: 'drain', run: async () => {
      say('draining');
      if (process.env.CHILD_HANG !== '1') setTimeout(finishWork, 50);
      await inFlight;
      say('work finished');
    } },
    { name: 'store', run: async () => { say('store closed'); } },
  ],
}).install();

say(`ready ${address}`);
