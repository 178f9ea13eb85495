import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from '../../../../src/runtime/queue/keyed-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('keyed queue', () => {
  it('collapses a burst for a waiting key into one run', async () => {
    const gate = deferred();
    const runs: string[] = [];
    const q = createKeyedQueue<string>({ concurrency: 1, run: async (k) => { runs.push(k); if (k === 'block') await gate.promise; } });
    q.enqueue('block');
    await tick();
    for (let i = 0; i < 5; i++) q.enqueue('a');
    expect(q.depth).toBe(2);
    gate.resolve();
    await q.onIdle();
    expect(runs).toEqual(['block', 'a']);
  });

  it('runs a key once more when it is enqueued while running, and only once more', async () => {
    const gate = deferred();
    const runs: number[] = [];
    let n = 0;
    const q = createKeyedQueue<string>({ run: async () => { const me = ++n; runs.push(me); if (me === 1) await gate.promise; } });
    q.enqueue('a');
    await tick();
    q.enqueue('a');
    q.enqueue('a');
    gate.resolve();
    await q.onIdle();
    expect(runs).toEqual([1, 2]);
  });

  it('runs different keys at the same time, up to the concurrency limit', async () => {
    const gate = deferred();
    let active = 0;
    let peak = 0;
    const q = createKeyedQueue<string>({ concurrency: 2, run: async () => { active++; peak = Math.max(peak, active); await gate.promise; active--; } });
    for (const k of ['a', 'b', 'c']) q.enqueue(k);
    await tick();
    expect(active).toBe(2);
    gate.resolve();
    await q.onIdle();
    expect(peak).toBe(2);
  });

  it('reports a failed run and goes on with other keys', async () => {
    const errors: string[] = [];
    const runs: string[] = [];
    const q = createKeyedQueue<string>({
      run: async (k) => { runs.push(k); if (k === 'bad') throw new Error('boom'); },
      onError: (k, e) => errors.push(`${k}:${(e as Error).message}`),
    });
    q.enqueue('bad');
    q.enqueue('good');
    await q.onIdle();
    expect(errors).toEqual(['bad:boom']);
    expect(runs.sort()).toEqual(['bad', 'good']);
    expect(q.depth).toBe(0);
  });

  it('never overlaps two runs of a key, and runs every key after its last enqueue (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 4 }),
      fc.scheduler(),
      async (keys, concurrency, s) => {
        let time = 0;
        const active = new Set<string>();
        let overlap = false;
        let tooMany = false;
        const starts = new Map<string, number[]>();
        const enqueuedAt: Array<[string, number]> = [];
        const q = createKeyedQueue<string>({
          concurrency,
          run: async (key) => {
            if (active.has(key)) overlap = true;
            active.add(key);
            if (active.size > concurrency) tooMany = true;
            starts.set(key, [...(starts.get(key) ?? []), ++time]);
            await s.schedule(Promise.resolve(), `run ${key}`);
            active.delete(key);
          },
        });
        for (const key of keys) {
          void s.schedule(Promise.resolve(), `enqueue ${key}`).then(() => { enqueuedAt.push([key, ++time]); q.enqueue(key); });
        }
        while (s.count() > 0 || q.depth > 0) {
          if (s.count() > 0) await s.waitOne();
          else await tick();
        }
        expect(overlap).toBe(false);
        expect(tooMany).toBe(false);
        for (const [key, t] of enqueuedAt) expect((starts.get(key) ?? []).some((start) => start > t)).toBe(true);
        const runCount = [...starts.values()].reduce((n, v) => n + v.length, 0);
        expect(runCount).toBeLessThanOrEqual(keys.length);
      },
    ), { numRuns: 200 });
  });
});
