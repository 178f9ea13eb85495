import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createAdminServer, isLoopbackHost } from '../../../../src/runtime/http/admin-server.js';
import { createRuntimeMetrics } from '../../../../src/runtime/metrics.js';
import { createPublicServer } from '../../../../src/runtime/http/public-server.js';
import { systemClock } from '../../../../src/shared/clock.js';
import { isConcordError } from '../../../../src/shared/errors/index.js';
import { silentLogger } from '../../../../src/shared/logger.js';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

describe('admin server', () => {
  it('serves Prometheus metrics on loopback without a token', async () => {
    const metrics = createRuntimeMetrics({ processMetrics: false });
    metrics.writes.inc({ system: 'crm', result: 'ok' }, 3);
    const admin = createAdminServer({ metrics });
    app = admin.app;
    const address = await app.listen({ port: 0, host: admin.host });
    const res = await fetch(`${address}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('concord_writes_total{system="crm",result="ok"} 3');
  });

  it('refuses to start on a public address without a token', () => {
    const metrics = createRuntimeMetrics({ processMetrics: false });
    let error: unknown;
    try { createAdminServer({ metrics, host: '0.0.0.0' }); } catch (err) { error = err; }
    expect(isConcordError(error) && error.code).toBe('CONCORD_ERR_RUNTIME_ADMIN_TOKEN_MISSING');
  });

  it('with a token, answers only requests that carry it', async () => {
    const metrics = createRuntimeMetrics({ processMetrics: false });
    app = createAdminServer({ metrics, host: '0.0.0.0', token: 's3cret-token' }).app;
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer s3cret-token' } })).statusCode).toBe(200);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});

describe('admin routes on the public server', () => {
  it('need the token while webhooks and health stay open', async () => {
    const metrics = createRuntimeMetrics({ processMetrics: false });
    app = createPublicServer({
      endpoint: () => undefined, inbox: { append: async () => ({ stored: 0, duplicates: 0 }) }, clock: systemClock, log: silentLogger,
      metrics, probes: () => [], admin: { host: '0.0.0.0', token: 'a-long-admin-token' },
    });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/webhooks/none', payload: '{}' })).statusCode).toBe(404);
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer a-long-admin-token' } })).statusCode).toBe(200);
  });
});
