import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createPublicServer } from '../../../../src/runtime/http/public-server.js';
import type { InboxSink } from '../../../../src/runtime/http/inbox-sink.js';
import { createRuntimeMetrics } from '../../../../src/runtime/metrics.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { asSystemId } from '../../../../src/shared/ids.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import { createMemoryInbox, fakeWebhookHandler, secret, sign } from './fake-webhook.js';

const clock = createManualClock('2026-03-01T12:00:00.000Z');
const nowSec = () => Math.floor(clock.now().getTime() / 1000);
let app: FastifyInstance | undefined;

afterEach(async () => { await app?.close(); app = undefined; });

function build(inbox: InboxSink = createMemoryInbox(), bodyLimit = 4096) {
  const metrics = createRuntimeMetrics({ processMetrics: false });
  const stored: string[] = [];
  app = createPublicServer({
    endpoint: (s) => (s === 'testsys' ? { system: asSystemId('testsys'), handler: fakeWebhookHandler, secrets: { secret } } : undefined),
    inbox, clock, log: silentLogger, metrics, bodyLimit, probes: () => [],
    onStored: (events) => stored.push(...events.map((e) => e.eventId)),
  });
  return { app, metrics, stored };
}

function post(body: string, opts: { ts?: number; sig?: string; path?: string } = {}) {
  const ts = opts.ts ?? nowSec();
  return app!.inject({
    method: 'POST', url: opts.path ?? '/webhooks/testsys', payload: body,
    headers: { 'content-type': 'application/json', 'x-test-timestamp': String(ts), 'x-test-signature': opts.sig ?? sign(body, ts) },
  });
}

const body = (...ids: string[]) => JSON.stringify({ events: ids.map((id) => ({ id, object: 'contacts', recordId: `r-${id}` })) });

async function refusedCount(metrics: ReturnType<typeof createRuntimeMetrics>, reason: string) {
  const m = await metrics.eventsRefused.get();
  return m.values.filter((v) => v.labels.reason === reason).reduce((n, v) => n + v.value, 0);
}

describe('webhook server', () => {
  it('stores verified events and answers after the commit, over real HTTP', async () => {
    const inbox = createMemoryInbox();
    const { app: server } = build(inbox);
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    const payload = body('e1', 'e2');
    const ts = nowSec();
    const res = await fetch(`${address}/webhooks/testsys`, {
      method: 'POST', body: payload,
      headers: { 'content-type': 'application/json', 'x-test-timestamp': String(ts), 'x-test-signature': sign(payload, ts) },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, stored: 2, duplicates: 0 });
    expect(inbox.events.map((e) => [e.system, e.object, e.remoteId, e.eventId, e.source])).toEqual([
      ['testsys', 'contacts', 'r-e1', 'e1', 'webhook'], ['testsys', 'contacts', 'r-e2', 'e2', 'webhook'],
    ]);
  });

  it('verifies the exact bytes sent: whitespace the JSON parser would drop still counts', async () => {
    const inbox = createMemoryInbox();
    build(inbox);
    const payload = `{ "events" :\n [ {"id":"w1","object":"contacts","recordId":"r1"} ] }  `;
    const res = await post(payload);
    expect(res.statusCode).toBe(200);
    expect(inbox.events).toHaveLength(1);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const inbox = createMemoryInbox();
    const { metrics } = build(inbox);
    const res = await post(body('e1'), { sig: sign(body('e1'), nowSec(), 'wrong-secret') });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('signature');
    expect(inbox.events).toEqual([]);
    expect(await refusedCount(metrics, 'signature')).toBe(1);
  });

  it('refuses a body changed after signing with 401', async () => {
    const inbox = createMemoryInbox();
    build(inbox);
    const ts = nowSec();
    const res = await post(body('e2'), { ts, sig: sign(body('e1'), ts) });
    expect(res.statusCode).toBe(401);
    expect(inbox.events).toEqual([]);
  });

  it('refuses a missing signature with 401', async () => {
    const inbox = createMemoryInbox();
    build(inbox);
    const res = await app!.inject({ method: 'POST', url: '/webhooks/testsys', payload: body('e1'), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(401);
    expect(inbox.events).toEqual([]);
  });

  it('refuses a stale timestamp with 401 even when the signature is right', async () => {
    const inbox = createMemoryInbox();
    const { metrics } = build(inbox);
    const res = await post(body('e1'), { ts: nowSec() - 3600 });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('timestamp');
    expect(inbox.events).toEqual([]);
    expect(await refusedCount(metrics, 'timestamp')).toBe(1);
  });

  it('answers a replayed event id with 200 and stores nothing new', async () => {
    const inbox = createMemoryInbox();
    const { metrics, stored } = build(inbox);
    expect((await post(body('e1'))).statusCode).toBe(200);
    const replay = await post(body('e1'));
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ received: 1, stored: 0, duplicates: 1 });
    expect(inbox.events).toHaveLength(1);
    expect(await refusedCount(metrics, 'duplicate')).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(stored).toEqual(['e1']);
  });

  it('refuses an oversized body with 413 and stores nothing', async () => {
    const inbox = createMemoryInbox();
    const { metrics } = build(inbox, 512);
    const big = JSON.stringify({ events: [{ id: 'e1', object: 'contacts', recordId: 'r1', pad: 'x'.repeat(2000) }] });
    const res = await post(big);
    expect(res.statusCode).toBe(413);
    expect(inbox.events).toEqual([]);
    expect(await refusedCount(metrics, 'size')).toBe(1);
  });

  it('refuses a correctly signed but malformed body with 400 and stores nothing', async () => {
    const inbox = createMemoryInbox();
    const { metrics } = build(inbox);
    const res = await post('{"events": [ not json');
    expect(res.statusCode).toBe(400);
    expect(inbox.events).toEqual([]);
    expect(await refusedCount(metrics, 'malformed')).toBe(1);
  });

  it('answers 404 for a system that takes no webhooks', async () => {
    const inbox = createMemoryInbox();
    build(inbox);
    const res = await post(body('e1'), { path: '/webhooks/nosuch' });
    expect(res.statusCode).toBe(404);
    expect(inbox.events).toEqual([]);
  });

  it('answers a provider handshake with the body the connector gives, storing nothing', async () => {
    const inbox = createMemoryInbox();
    build(inbox);
    const res = await app!.inject({ method: 'GET', url: '/webhooks/testsys/sub?validationToken=abc%20123' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('abc 123');
    expect(inbox.events).toEqual([]);
  });

  it('answers 503 when the inbox cannot store, so the provider delivers again', async () => {
    build({ append: () => Promise.reject(new Error('disk full')) });
    expect((await post(body('e1'))).statusCode).toBe(503);
  });

  it('/healthz is up; /readyz reports each probe and fails when one does', async () => {
    const metrics = createRuntimeMetrics({ processMetrics: false });
    let storeUp = true;
    app = createPublicServer({
      endpoint: () => undefined, inbox: createMemoryInbox(), clock, log: silentLogger, metrics,
      probes: () => [{ name: 'store', check: async () => storeUp }, { name: 'system:crm', check: async () => ({ ok: true, detail: 'circuit closed' }) }],
    });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    storeUp = false;
    const res = await app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json().checks).toEqual({ store: { ok: false }, 'system:crm': { ok: true, detail: 'circuit closed' } });
  });
});
