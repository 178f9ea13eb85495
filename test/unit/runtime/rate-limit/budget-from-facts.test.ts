import { describe, expect, it } from 'vitest';
import { budgetFromFacts, limitersForAccount } from '../../../../src/runtime/rate-limit/budget-from-facts.js';
import { createLimiterRegistry } from '../../../../src/runtime/rate-limit/limiter-registry.js';
import { budgetOf, createAccountLimiter } from '../../../../src/runtime/rate-limit/account-limiter.js';
import { systemClock } from '../../../../src/shared/clock.js';

const hubspotLike = { requests: { count: 100, perMs: 10_000 }, retryAfterDefaultMs: 10_000, headers: {} };
const mailchimpLike = { maxConcurrent: 10, retryAfterDefaultMs: 0, headers: {} };

describe('budget from connector facts', () => {
  it('takes the published window, with 85% headroom', () => {
    const budget = budgetFromFacts(hubspotLike);
    expect(budget).toEqual({ requests: 100, intervalMs: 10_000 });
    expect(budgetOf(budget)).toBe(85);
  });

  it('lets the daemon config override rate, concurrency and headroom', () => {
    const budget = budgetFromFacts(hubspotLike, { per_second: 20, max_concurrent: 4, headroom: 0.5 });
    expect(budget).toEqual({ requests: 20, intervalMs: 1000, maxConcurrent: 4, headroom: 0.5 });
    expect(budgetOf(budget)).toBe(10);
  });

  it('gives a provider with only a connection cap a limiter without a request budget', async () => {
    const budget = budgetFromFacts(mailchimpLike);
    expect(budget).toEqual({ maxConcurrent: 10 });
    const limiter = createAccountLimiter({ account: 'mc', budget, clock: systemClock });
    expect(await limiter.remaining()).toBeNull();
    expect(await limiter.schedule(0, async () => 'ran')).toBe('ran');
    await limiter.close();
  });

  it('gives a limit group its own limiter beside the account budget', async () => {
    const registry = createLimiterRegistry({ clock: systemClock });
    const limits = { ...hubspotLike, groups: { search: { count: 4, perMs: 1000 } } };
    const { account, groups } = limitersForAccount(registry, 'hubspot:1', limits);
    expect(await account.remaining()).toBe(85);
    expect(await groups.search!.remaining()).toBe(3);
    expect(limitersForAccount(registry, 'hubspot:1', limits).groups.search).toBe(groups.search);
    await registry.close();
  });
});
