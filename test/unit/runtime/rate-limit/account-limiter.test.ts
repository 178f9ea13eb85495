import { afterEach, describe, expect, it } from 'vitest';
import { createAccountLimiter, type AccountLimiter } from '../../../../src/runtime/rate-limit/account-limiter.js';
import { createLimiterRegistry } from '../../../../src/runtime/rate-limit/limiter-registry.js';
import { createRuntimeMetrics } from '../../../../src/runtime/metrics.js';
import { createManualClock, systemClock } from '../../../../src/shared/clock.js';
import { isConcordError } from '../../../../src/shared/errors/index.js';

const open: AccountLimiter[] = [];
afterEach(async () => { await Promise.all(open.splice(0).map((l) => l.close())); });

function limiter(budget: Parameters<typeof createAccountLimiter>[0]['budget'], metrics = createRuntimeMetrics({ processMetrics: false })) {
  const l = createAccountLimiter({ account: 'acct', budget, clock: systemClock, metrics });
  open.push(l);
  return l;
}
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}
const settle = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 5)); };
async function until(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
}

describe('account limiter', () => {
  it('spends 85% of the published budget per interval by default, then makes calls wait', async () => {
    const l = limiter({ requests: 10, intervalMs: 60_000 });
    let done = 0;
    const calls = Array.from({ length: 10 }, () => l.schedule(1, async () => { done++; }));
    calls.forEach((c) => c.catch(() => undefined));
    await Promise.all(calls.slice(0, 8));
    await settle();
    expect(done).toBe(8);
    expect(await l.remaining()).toBe(0);
  });

  it('caps calls in flight at maxConcurrent', async () => {
    const l = limiter({ requests: 1000, intervalMs: 1000, maxConcurrent: 2 });
    const gate = deferred();
    let active = 0;
    let peak = 0;
    const calls = Array.from({ length: 5 }, () => l.schedule(1, async () => { active++; peak = Math.max(peak, active); await gate.promise; active--; }));
    await until(() => active === 2);
    await settle();
    expect(active).toBe(2);
    gate.resolve();
    await Promise.all(calls);
    expect(peak).toBe(2);
  });

  it('runs live changes before catch-up, and catch-up before backfill', async () => {
    const l = limiter({ requests: 1000, intervalMs: 1000, maxConcurrent: 1 });
    const gate = deferred();
    const order: string[] = [];
    let started = false;
    const first = l.schedule(0, async () => { started = true; await gate.promise; });
    await until(() => started);
    const calls = [l.schedule(2, async () => { order.push('backfill'); }), l.schedule(1, async () => { order.push('catch-up'); }), l.schedule(0, async () => { order.push('live'); })];
    await settle();
    gate.resolve();
    await Promise.all([first, ...calls]);
    expect(order).toEqual(['live', 'catch-up', 'backfill']);
  });

  it('lowers its budget to what the response headers say is left', async () => {
    const l = limiter({ requests: 100, intervalMs: 60_000 });
    expect(await l.remaining()).toBe(85);
    await l.observe({ remaining: 3 });
    expect(await l.remaining()).toBe(3);
    await l.observe({ remaining: 50 });
    expect(await l.remaining()).toBe(3);
  });

  it('keeps its refilled budget when the provider\'s rolling window still counts its own calls, and takes another client\'s calls off once', async () => {
    // The provider's window is 10 s by the clock, longer than the limiter's refill interval here, so
    // after a refill `remaining` still counts every call this limiter made in the last interval.
    const clock = createManualClock();
    const l = createAccountLimiter({ account: 'acct', budget: { requests: 20, intervalMs: 1000 }, clock });
    open.push(l);
    await Promise.all(Array.from({ length: 17 }, () => l.schedule(1, async () => undefined)));
    while ((await l.remaining()) !== 17) await new Promise((r) => setTimeout(r, 5));
    await l.observe({ limit: 20, remaining: 3, windowMs: 10_000 });
    expect(await l.remaining()).toBe(17);
    // Two calls the provider counted are not ours: they come off the budget.
    await l.observe({ limit: 20, remaining: 1, windowMs: 10_000 });
    expect(await l.remaining()).toBe(15);
    // The next answer reports the same two again: they are not taken off twice.
    await l.observe({ limit: 20, remaining: 1, windowMs: 10_000 });
    expect(await l.remaining()).toBe(15);
    // One more of theirs: only that one comes off.
    await l.observe({ limit: 20, remaining: 0, windowMs: 10_000 });
    expect(await l.remaining()).toBe(14);
  });

  it('lowers its budget by the calls of another client sharing the account, not by its own', async () => {
    const clock = createManualClock();
    const l = createAccountLimiter({ account: 'acct', budget: { requests: 100, intervalMs: 60_000 }, clock });
    open.push(l);
    await Promise.all(Array.from({ length: 10 }, () => l.schedule(1, async () => undefined)));
    expect(await l.remaining()).toBe(75);
    // The provider counted our 10 and nothing else: the budget stays.
    await l.observe({ limit: 100, remaining: 90, windowMs: 10_000 });
    expect(await l.remaining()).toBe(75);
    // Another integration made 40 calls in the window: our budget shrinks to what is left.
    await l.observe({ limit: 100, remaining: 50, windowMs: 10_000 });
    expect(await l.remaining()).toBe(50);
  });

  it('holds calls until the reset time when headers say nothing is left', async () => {
    const l = limiter({ requests: 100, intervalMs: 60_000 });
    const resetAt = new Date(Date.now() + 150);
    await l.observe({ remaining: 0, resetAt: resetAt.toISOString() });
    let startedAt = 0;
    await l.schedule(0, async () => { startedAt = Date.now(); });
    expect(startedAt).toBeGreaterThanOrEqual(resetAt.getTime());
  });

  it('holds calls for the Retry-After of a 429, and counts the wait', async () => {
    const metrics = createRuntimeMetrics({ processMetrics: false });
    const l = limiter({ requests: 100, intervalMs: 60_000 }, metrics);
    const before = Date.now();
    l.holdFor(120);
    let startedAt = 0;
    await l.schedule(0, async () => { startedAt = Date.now(); });
    expect(startedAt - before).toBeGreaterThanOrEqual(120);
    expect((await metrics.rateLimitWaits.get()).values).toEqual([expect.objectContaining({ labels: { account: 'acct' }, value: 1 })]);
  });

  it('refuses a budget out of range with a coded error', () => {
    for (const budget of [{ requests: 0, intervalMs: 1000 }, { requests: 10, intervalMs: 1000, headroom: 1.5 }, { requests: 10, intervalMs: 1000, maxConcurrent: 0 }]) {
      let error: unknown;
      try { createAccountLimiter({ account: 'x', budget, clock: systemClock }); } catch (err) { error = err; }
      expect(isConcordError(error) && error.code).toBe('CONCORD_ERR_RUNTIME_RATE_LIMIT_INVALID');
    }
  });

  it('gives every pair and direction of an account the same limiter', async () => {
    const registry = createLimiterRegistry({ clock: systemClock });
    const a = registry.forAccount('crm:1', { requests: 10, intervalMs: 60_000 });
    const b = registry.forAccount('crm:1', { requests: 10, intervalMs: 60_000 });
    const other = registry.forAccount('crm:2', { requests: 10, intervalMs: 60_000 });
    await a.schedule(0, async () => undefined);
    expect(b).toBe(a);
    expect(await b.remaining()).toBe(7);
    expect(await other.remaining()).toBe(8);
    await registry.close();
  });
});
