/**
 * Runs the load generator (`load-worker.ts`) in a worker thread and resolves with what it measured. The
 * worker registers tsx itself first: Node 20 resolves a worker's `.ts` entry before `--import` hooks apply.
 */
import { Worker } from 'node:worker_threads';
import type { LoadResult, LoadSpec } from './load-worker.js';

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { eval: true, workerData: spec });
    let done = false;
    worker.once('message', (r: LoadResult) => { done = true; resolve(r); void worker.terminate(); });
    worker.once('error', reject);
    worker.once('exit', (code) => { if (!done) reject(new Error(`load worker exited with ${code} before reporting`)); });
  });
}
