/**
 * Runs the load generator (`load-worker.ts`) in a worker thread and resolves with what it measured. The
 * worker registers tsx itself first: Node 20 resolves a worker's `.ts` entry before `--import` hooks apply.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { LoadResult, LoadSpec } from './load-worker.js';

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: spec });
    let done = false;
    let elu0: EventLoopUtilization | undefined;
    worker.on('message', (m: LoadResult | 'started') => {
      if (m === 'started') { elu0 = performance.eventLoopUtilization(); return; }
      done = true;
      resolve({ ...m, serverBusyMs: elu0 ? performance.eventLoopUtilization(elu0).active : 0 });
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (!done) reject(new Error(`load worker exited with ${code} before reporting`)); });
  });
}
