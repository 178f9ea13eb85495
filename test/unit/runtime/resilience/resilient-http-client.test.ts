import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createResilientHttpClient, isSystemFailure } from '../../../../src/runtime/resilience/resilient-http-client.js';
import { createCircuitRegistry } from '../../../../src/runtime/resilience/circuit-registry.js';
import { createAccountLimiter, type AccountLimiter } from '../../../../src/runtime/rate-limit/account-limiter.js';
import { createRuntimeMetrics } from '../../../../src/runtime/metrics.js';
import { systemClock } from '../../../../src/shared/clock.js';
import { isConcordError } from '../../../../src/shared/errors/index.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import { createFetchHttpClient } from './fetch-http-client.js';

/** A provider stand-in whose answers the test scripts: each request takes the next status (the last repeats). */
async function provider(script: Array<{ status: number; headers?: Record<string, string> }>) {
  const app = Fastify();
  const seen: string[] = [];
  app.all('/*', async (req, reply) => {
    seen.push(`${req.method} ${req.url}`);
    const step = script[Math.min(seen.length - 1, script.length - 1)]!;
    return reply.code(step.status).headers(step.headers ?? {}).send({ n: seen.length });
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  servers.push(app);
  return { url, seen, script };
}

const servers: FastifyInstance[] = [];
const limiters: AccountLimiter[] = [];
afterEach(async () => {
  await Promise.all([...servers.splice(0).map((s) => s.close()), ...limiters.splice(0).map((l) => l.close())]);
});

function client(url: string, opts: { system?: string; threshold?: number; halfOpenAfterMs?: number; attempts?: number; circuits?: ReturnType<typeof createCircuitRegistry>; metrics?: ReturnType<typeof createRuntimeMetrics> } = {}) {
  const system = opts.system ?? 'crm';
  const metrics = opts.metrics ?? createRuntimeMetrics({ processMetrics: false });
  const circuits = opts.circuits ?? createCircuitRegistry({ threshold: opts.threshold ?? 5, halfOpenAfterMs: opts.halfOpenAfterMs ?? 60_000, isFailure: isSystemFailure, log: silentLogger, metrics });
  const limiter = createAccountLimiter({ account: system, budget: { requests: 1000, intervalMs: 1000 }, clock: systemClock, metrics });
  limiters.push(limiter);
  const http = createResilientHttpClient(createFetchHttpClient(url), {
    system, limiter, circuit: circuits.forSystem(system), clock: systemClock, log: silentLogger, metrics,
    rateLimitHeaders: { remaining: 'x-ratelimit-remaining' },
    retry: { baseMs: 1, maxMs: 5, attempts: opts.attempts ?? 4 },
  });
  return { http, circuits, limiter, metrics };
}

describe('resilient HTTP client', () => {
  it('retries a GET through 5xx answers and returns the success', async () => {
    const p = await provider([{ status: 503 }, { status: 502 }, { status: 200 }]);
    const { http } = client(p.url);
    const res = await http.request({ method: 'GET', url: '/contacts/1' });
    expect(res.status).toBe(200);
    expect(p.seen).toHaveLength(3);
  });

  it('returns the last answer when attempts run out, for the connector to classify', async () => {
    const p = await provider([{ status: 500 }]);
    const { http } = client(p.url, { attempts: 3 });
    const res = await http.request({ method: 'GET', url: '/x' });
    expect(res.status).toBe(500);
    expect(p.seen).toHaveLength(3);
  });

  it('waits for Retry-After on a 429 before trying again', async () => {
    const p = await provider([{ status: 429, headers: { 'retry-after': '0.2' } }, { status: 200 }]);
    const { http } = client(p.url);
    const started = Date.now();
    const res = await http.request({ method: 'GET', url: '/x' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('never repeats a POST that may have been done, but repeats one refused with 429', async () => {
    const failing = await provider([{ status: 500 }]);
    expect((await client(failing.url).http.request({ method: 'POST', url: '/contacts', json: { a: 1 } })).status).toBe(500);
    expect(failing.seen).toHaveLength(1);

    const throttled = await provider([{ status: 429, headers: { 'retry-after': '0' } }, { status: 201 }]);
    expect((await client(throttled.url).http.request({ method: 'POST', url: '/contacts', json: { a: 1 } })).status).toBe(201);
    expect(throttled.seen).toHaveLength(2);

    const keyed = await provider([{ status: 500 }, { status: 201 }]);
    expect((await client(keyed.url).http.request({ method: 'POST', url: '/contacts', json: {}, headers: { 'Idempotency-Key': 'k1' } })).status).toBe(201);

    // An upsert by key (Mailchimp's batch subscribe with update_existing) the connector marks as repeatable.
    const upsert = await provider([{ status: 503 }, { status: 200 }]);
    expect((await client(upsert.url).http.request({ method: 'POST', url: '/lists/l1', json: { members: [] }, repeatable: true })).status).toBe(200);
    expect(upsert.seen).toHaveLength(2);
  });

  it('lowers the account budget from rate-limit headers', async () => {
    const p = await provider([{ status: 200, headers: { 'x-ratelimit-remaining': '4' } }]);
    const { http, limiter } = client(p.url);
    await http.request({ method: 'GET', url: '/x' });
    expect(await limiter.remaining()).toBe(4);
  });

  it('opens the circuit of a failing system, refuses its calls without sending them, and leaves other systems alone', async () => {
    const metrics = createRuntimeMetrics({ processMetrics: false });
    const circuits = createCircuitRegistry({ threshold: 3, halfOpenAfterMs: 150, isFailure: isSystemFailure, log: silentLogger, metrics });
    const down = await provider([{ status: 500 }]);
    const up = await provider([{ status: 200 }]);
    const crm = client(down.url, { system: 'crm', circuits, attempts: 1, metrics });
    const shop = client(up.url, { system: 'shop', circuits, attempts: 1, metrics });

    for (let i = 0; i < 3; i++) expect((await crm.http.request({ method: 'GET', url: '/x' })).status).toBe(500);
    expect(circuits.state('crm')).toBe('open');
    let error: unknown;
    try { await crm.http.request({ method: 'GET', url: '/x' }); } catch (err) { error = err; }
    expect(isConcordError(error) && error.code).toBe('CONCORD_ERR_RUNTIME_CIRCUIT_OPEN');
    expect(down.seen).toHaveLength(3);
    expect((await shop.http.request({ method: 'GET', url: '/y' })).status).toBe(200);
    expect(circuits.state('shop')).toBe('closed');
    expect((await metrics.circuitState.get()).values.find((v) => v.labels.system === 'crm')?.value).toBe(2);

    await new Promise((r) => setTimeout(r, 200));
    down.script.splice(0, 1, { status: 200 });
    expect((await crm.http.request({ method: 'GET', url: '/x' })).status).toBe(200);
    expect(circuits.state('crm')).toBe('closed');
    const probes = await Promise.all(circuits.probes().map(async (p) => [p.name, await p.check()]));
    expect(probes).toEqual([['system:crm', { ok: true, detail: 'circuit closed' }], ['system:shop', { ok: true, detail: 'circuit closed' }]]);
  });

  it('does not open the circuit for 429s: the provider is pacing, not failing', async () => {
    const p = await provider([{ status: 429, headers: { 'retry-after': '0' } }]);
    const { http, circuits } = client(p.url, { threshold: 2, attempts: 1 });
    for (let i = 0; i < 4; i++) expect((await http.request({ method: 'GET', url: '/x' })).status).toBe(429);
    expect(circuits.state('crm')).toBe('closed');
  });

  it('rejects when the network fails on every attempt', async () => {
    const p = await provider([{ status: 200 }]);
    await servers.pop()!.close();
    const { http } = client(p.url, { attempts: 2 });
    await expect(http.request({ method: 'GET', url: '/x' })).rejects.toThrow();
  });

  it('spends a limit group budget and the account budget for a call tagged with the group', async () => {
    const p = await provider([{ status: 200 }]);
    const { circuits, limiter } = client(p.url);
    const search = createAccountLimiter({ account: 'crm#search', budget: { requests: 4, intervalMs: 60_000 }, clock: systemClock });
    limiters.push(search);
    const http = createResilientHttpClient(createFetchHttpClient(p.url), {
      system: 'crm', limiter, groupLimiters: { search }, circuit: circuits.forSystem('crm'), clock: systemClock, log: silentLogger,
    });
    await http.request({ method: 'POST', url: '/search', json: {}, limitGroup: 'search' });
    await http.request({ method: 'GET', url: '/x' });
    expect(await search.remaining()).toBe(2);
    expect(await limiter.remaining()).toBe(848);
  });
});
