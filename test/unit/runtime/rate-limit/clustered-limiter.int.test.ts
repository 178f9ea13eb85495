/**
 * Two limiter registries on one Redis stand for two daemon instances: they must share one budget.
 * Needs Redis on 127.0.0.1:6379 (REDIS_URL to change): in CI a missing Redis fails the run, elsewhere
 * these tests skip with the reason.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLimiterRegistry, type LimiterRegistry } from '../../../../src/runtime/rate-limit/limiter-registry.js';
import { systemClock } from '../../../../src/shared/clock.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisIsUp(): Promise<boolean> {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const up = await redisIsUp();
if (!up && process.env.CI) throw new Error(`Redis is not reachable at ${redisUrl}; CI needs it for the clustered rate-limit tests`);
if (!up) console.warn(`skipping clustered rate-limit tests: Redis is not reachable at ${redisUrl}`);

describe.skipIf(!up)('clustered limiters (Redis)', () => {
  const registries: LimiterRegistry[] = [];
  afterAll(async () => { await Promise.all(registries.map((r) => r.close())); });

  it('two instances with the same account share one budget', async () => {
    const account = `test:${randomUUID()}`;
    const budget = { requests: 10, intervalMs: 60_000 };
    const instanceA = createLimiterRegistry({ clock: systemClock, redisUrl });
    const instanceB = createLimiterRegistry({ clock: systemClock, redisUrl });
    registries.push(instanceA, instanceB);
    await Promise.all([instanceA.ready(), instanceB.ready()]);
    const a = instanceA.forAccount(account, budget);
    const b = instanceB.forAccount(account, budget);

    for (let i = 0; i < 3; i++) await a.schedule(0, async () => undefined);
    expect(await b.remaining()).toBe(5);

    for (let i = 0; i < 5; i++) await b.schedule(0, async () => undefined);
    expect(await a.remaining()).toBe(0);

    let ranOnA = false;
    const waiting = a.schedule(0, async () => { ranOnA = true; });
    waiting.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(ranOnA).toBe(false);
  });

  it('instances with different accounts do not share', async () => {
    const instanceA = createLimiterRegistry({ clock: systemClock, redisUrl });
    registries.push(instanceA);
    const a = instanceA.forAccount(`test:${randomUUID()}`, { requests: 4, intervalMs: 60_000 });
    const other = instanceA.forAccount(`test:${randomUUID()}`, { requests: 4, intervalMs: 60_000 });
    await a.schedule(0, async () => undefined);
    expect(await a.remaining()).toBe(2);
    expect(await other.remaining()).toBe(3);
  });
});
