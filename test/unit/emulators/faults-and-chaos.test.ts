import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../../../src/emulators/hubspot/hubspot-emulator.js';
import { startMailchimpEmulator, type RunningMailchimpEmulator } from '../../../src/emulators/mailchimp/mailchimp-emulator.js';
import { startReceiver } from './webhook-receiver.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => { for (const x of open.splice(0)) await x.close(); });

async function hubspot(options: Parameters<typeof startHubSpotEmulator>[0] = {}): Promise<RunningHubSpotEmulator> {
  const e = await startHubSpotEmulator({ seed: 'chaos', ...options });
  open.push(e);
  return e;
}
async function mailchimp(options: Parameters<typeof startMailchimpEmulator>[0] = {}): Promise<RunningMailchimpEmulator> {
  const e = await startMailchimpEmulator({ seed: 'chaos', ...options });
  open.push(e);
  return e;
}
const admin = (url: string, method: string, path: string, body?: unknown) =>
  fetch(`${url}/__emulator${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    .then(async (r) => ({ status: r.status, body: await r.json() as Record<string, unknown> }));
const get = (e: RunningHubSpotEmulator, path = '/crm/v3/objects/contacts') =>
  fetch(`${e.url}${path}`, { headers: { authorization: `Bearer ${e.credentials.privateAppToken}` } });

describe('fault injection through the admin API', () => {
  it('an error fault with a count answers that many 5xx in the provider shape, then recovers', async () => {
    const e = await hubspot();
    expect((await admin(e.url, 'POST', '/faults', { kind: 'error', status: 503, count: 2 })).status).toBe(201);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const r = await get(e);
      answers.push([r.status, ((await r.json()) as { status?: string }).status]);
    }
    expect(answers).toEqual([[503, 'error'], [503, 'error'], [200, undefined]]);
  });

  it('a rate-limit storm answers 429 with Retry-After on the chosen route only', async () => {
    const e = await mailchimp();
    const route = 'GET /3.0/lists/:listId/members';
    await admin(e.url, 'PUT', '/faults', { faults: [{ route, kind: 'rate-limit', retryAfterSeconds: 7, count: 3 }] });
    const h = { authorization: `Basic ${Buffer.from(`x:${e.credentials.apiKey}`).toString('base64')}` };
    const members = await fetch(`${e.url}/3.0/lists/${e.credentials.listId}/members`, { headers: h });
    expect(members.status).toBe(429);
    expect(members.headers.get('retry-after')).toBe('7');
    expect(await members.json()).toMatchObject({ title: 'Too Many Requests', status: 429 });
    expect((await fetch(`${e.url}/3.0/ping`, { headers: h })).status).toBe(200);
    const counts = (await admin(e.url, 'GET', '/requests')).body.counts as Record<string, number>;
    expect(counts).toEqual({ [route]: 1, 'GET /3.0/ping': 1 });
    expect(((await admin(e.url, 'GET', '/faults')).body.faults as Array<{ count: number }>)[0]!.count).toBe(2);
  });

  it('a hang never answers, so the client gives up; a disconnect resets the socket', async () => {
    const e = await hubspot();
    await admin(e.url, 'POST', '/faults', { kind: 'hang', count: 1 });
    const hung = await fetch(`${e.url}/crm/v3/objects/contacts`, { signal: AbortSignal.timeout(300) }).then(() => 'answered', (err: Error) => err.name);
    expect(hung).toBe('TimeoutError');
    await admin(e.url, 'POST', '/faults', { kind: 'disconnect', count: 1 });
    const reset = await get(e).then(() => 'answered', () => 'failed');
    expect(reset).toBe('failed');
    expect((await get(e)).status).toBe(200);
  });

  it('a slow fault still answers normally', async () => {
    const e = await hubspot();
    await admin(e.url, 'POST', '/faults', { kind: 'slow', delayMs: 50, count: 1 });
    expect((await get(e)).status).toBe(200);
  });

  it('rejects a malformed fault rule and names the problem', async () => {
    const e = await hubspot();
    const r = await admin(e.url, 'POST', '/faults', { kind: 'explode' });
    expect(r.status).toBe(400);
    expect(String(r.body.error)).toContain('kind');
  });

  it('the same seed gives the same credentials and the same pattern of probabilistic faults', async () => {
    const pattern = async () => {
      const e = await hubspot({ seed: 'repeat' });
      await admin(e.url, 'POST', '/faults', { kind: 'error', probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await get(e)).status);
      return { token: e.credentials.privateAppToken, statuses };
    };
    const a = await pattern();
    const b = await pattern();
    expect(b).toEqual(a);
    expect(new Set(a.statuses)).toEqual(new Set([200, 500]));
  });

  it('reset empties records, faults and counts', async () => {
    const e = await hubspot();
    await admin(e.url, 'POST', '/records/contacts', [{ email: 'x@example.com' }]);
    await admin(e.url, 'POST', '/faults', { kind: 'error' });
    await admin(e.url, 'POST', '/reset');
    const r = await get(e);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { results: unknown[] }).results).toEqual([]);
  });
});

describe('webhook chaos', () => {
  const seedNotify = (e: RunningHubSpotEmulator, n: number) =>
    admin(e.url, 'POST', '/records/contacts', { records: Array.from({ length: n }, (_, i) => ({ email: `e${i}@example.com` })), notify: true });
  const oneEventPerRequest = { maxEventsPerRequest: 1, subscriptions: [{ eventType: 'contact.creation' }] };
  const eventIds = (bodies: string[]) => bodies.map((b) => (JSON.parse(b) as Array<{ eventId: number }>)[0]!.eventId);

  it('drops every delivery at dropRate 1 and records them as dropped', async () => {
    const rx = await startReceiver();
    open.push(rx);
    const e = await hubspot({ webhookUrl: rx.url, webhooks: oneEventPerRequest });
    await admin(e.url, 'PUT', '/webhooks', { chaos: { dropRate: 1 } });
    await seedNotify(e, 3);
    const flushed = await admin(e.url, 'POST', '/webhooks/flush');
    expect(rx.received).toHaveLength(0);
    expect((flushed.body.deliveries as Array<{ state: string }>).map((d) => d.state)).toEqual(['dropped', 'dropped', 'dropped']);
  });

  it('duplicates every delivery at duplicateRate 1: each event id arrives twice', async () => {
    const rx = await startReceiver();
    open.push(rx);
    const e = await hubspot({ webhookUrl: rx.url, webhooks: oneEventPerRequest });
    await admin(e.url, 'PUT', '/webhooks', { chaos: { duplicateRate: 1 } });
    await seedNotify(e, 3);
    await admin(e.url, 'POST', '/webhooks/flush');
    expect(eventIds(rx.received.map((r) => r.body)).sort()).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('reorders waiting deliveries: every event arrives once, not in the order they happened', async () => {
    const rx = await startReceiver();
    open.push(rx);
    const e = await hubspot({ webhookUrl: rx.url, webhooks: oneEventPerRequest });
    await admin(e.url, 'PUT', '/webhooks', { chaos: { reorder: true } });
    await seedNotify(e, 12);
    await admin(e.url, 'POST', '/webhooks/flush');
    const ids = eventIds(rx.received.map((r) => r.body));
    const inOrder = Array.from({ length: 12 }, (_, i) => i + 1);
    expect([...ids].sort((a, b) => a - b)).toEqual(inOrder);
    expect(ids).not.toEqual(inOrder);
  });

  it('in order without chaos', async () => {
    const rx = await startReceiver();
    open.push(rx);
    const e = await hubspot({ webhookUrl: rx.url, webhooks: oneEventPerRequest });
    await seedNotify(e, 12);
    await admin(e.url, 'POST', '/webhooks/flush');
    expect(eventIds(rx.received.map((r) => r.body))).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});
