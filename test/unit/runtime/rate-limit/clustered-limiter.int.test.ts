/**
 * Two limiter registries on one Redis stand for two daemon instances: they must share one budget.
 * Redis comes from test/support/redis.ts (fails in CI when down, skips with the reason elsewhere).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createLimiterRegistry, type LimiterRegistry } from '../../../../src/runtime/rate-limit/limiter-registry.js';
import { systemClock } from '../../../../src/shared/clock.js';
import { describeWithRedis } from '../../../support/redis.js';

describeWithRedis('clustered limiters', (getRedis) => {
  const registries: LimiterRegistry[] = [];
  afterAll(async () => { await Promise.all(registries.map((r) => r.close())); });
  const instance = () => {
    const { url, prefix } = getRedis();
    const registry = createLimiterRegistry({ clock: systemClock, redisUrl: url, redisKeyPrefix: prefix });
    registries.push(registry);
    return registry;
  };

  it('two instances with the same account share one budget', async () => {
    const account = `test:${randomUUID()}`;
    const budget = { requests: 10, intervalMs: 60_000 };
    const instanceA = instance();
    const instanceB = instance();
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

  it('keeps the budgets of different accounts apart', async () => {
    const registry = instance();
    const a = registry.forAccount(`test:${randomUUID()}`, { requests: 4, intervalMs: 60_000 });
    const other = registry.forAccount(`test:${randomUUID()}`, { requests: 4, intervalMs: 60_000 });
    await a.schedule(0, async () => undefined);
    expect(await a.remaining()).toBe(2);
    expect(await other.remaining()).toBe(3);
  });

  it('writes its state under the configured key prefix only', async () => {
    const { client, prefix } = getRedis();
    const registry = instance();
    await registry.forAccount(`test:${randomUUID()}`, { requests: 4, intervalMs: 60_000 }).schedule(0, async () => undefined);
    const plainKeys = await client.call('KEYS', `${prefix}b_concord-limiter:*`) as string[];
    expect(plainKeys.length).toBeGreaterThan(0);
  });
});
