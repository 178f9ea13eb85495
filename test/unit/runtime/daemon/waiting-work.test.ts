import { afterEach, describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../../src/engine/process/process-items.js';
import { createWaitingWork, type ParkedWork, type WaitingWork } from '../../../../src/runtime/daemon/waiting-work.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { asRemoteId } from '../../../../src/shared/ids.js';

const item = (id: string): WorkItem => ({ side: 'left', id: asRemoteId(id) });
const work = (pair: string, ids: string[], rows: number[]): ParkedWork => ({
  pair, items: new Map(ids.map((id) => [`left:${id}`, item(id)])), rows: new Set(rows),
});

describe('work held as waiting', () => {
  const clock = createManualClock('2026-03-01T09:00:00.000Z');
  let waiting: WaitingWork | undefined;
  afterEach(() => waiting?.close());

  function start(retried: Array<{ key: string; work: ParkedWork }>, lookups: Record<string, string[]> = {}) {
    waiting = createWaitingWork({
      clock, baseMs: 5, maxMs: 20, forMs: 60_000,
      retry: (key, w) => retried.push({ key, work: w }),
      lookupsOf: (pair) => lookups[pair] ?? [],
    });
    return waiting;
  }

  it('is tried again on its own, with its rows, and keeps them while it waits', async () => {
    const retried: Array<{ key: string; work: ParkedWork }> = [];
    const w = start(retried);
    expect(w.park('deals\u0000unlinked', work('deals', ['D-1'], [7]))).toBe(true);
    expect(w.counts()).toEqual({ deals: 1 });
    await expect.poll(() => retried.length).toBe(1);
    expect(retried[0]!.key).toBe('deals\u0000unlinked');
    expect([...retried[0]!.work.rows]).toEqual([7]);
    expect(w.counts()).toEqual({});
  });

  it('is tried again when a pair it looks references up in links a record, and not for other pairs', () => {
    const retried: Array<{ key: string; work: ParkedWork }> = [];
    const w = start(retried, { deals: ['companies'] });
    w.park('deals\u0000link:1', work('deals', ['D-1'], [1]));
    clock.advance(10);
    w.linked('contacts');
    expect(retried).toHaveLength(0);
    w.linked('companies');
    expect(retried.map((r) => r.key)).toEqual(['deals\u0000link:1']);
  });

  it('stops trying after its time: the rows are given back to end, and the record waits for its next change', () => {
    const retried: Array<{ key: string; work: ParkedWork }> = [];
    const w = start(retried);
    expect(w.park('k', work('deals', ['D-1'], [1]))).toBe(true);
    clock.advance(61_000);
    const last = work('deals', ['D-1'], [2]);
    expect(w.park('k', last)).toBe(false);
    // The earlier parking's rows come along, so the caller ends them all.
    expect([...last.rows].sort()).toEqual([1, 2]);
    expect(w.counts()).toEqual({});
  });

  it('counts its time again from the start once the item ended in between', () => {
    const w = start([]);
    w.park('k', work('deals', ['D-1'], [1]));
    clock.advance(61_000);
    w.settle('deals', [item('D-1')]);
    expect(w.park('k', work('deals', ['D-1'], [2]))).toBe(true);
  });
});
