import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type RunningHubSpotEmulator } from '../../../src/emulators/hubspot/hubspot-emulator.js';
import { startReceiver } from './webhook-receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let emulator: RunningHubSpotEmulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => { await emulator?.close(); await receiver?.close(); emulator = undefined; receiver = undefined; });

const admin = (e: RunningHubSpotEmulator, method: string, path: string, body?: unknown) =>
  fetch(`${e.url}/__emulator${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    .then(async (r) => ({ status: r.status, body: await r.json() as Record<string, unknown> }));

/** Recomputes v3 from the documented formula, independently of the emulator's code. */
function expectedV3(secret: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`POST${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

describe('HubSpot emulator webhooks', () => {
  it('a user edit sends a JSON array of propertyChange events signed with v3 and v1 as documented', async () => {
    receiver = await startReceiver();
    const plainUrl = receiver.url.replace('?secret=s3cr%2Fet', '?secret=plain');
    emulator = await startHubSpotEmulator({ seed: 'wh', webhookUrl: plainUrl });
    const e = emulator;
    const seeded = await admin(e, 'POST', '/records/contacts', [{ email: 'w@example.com', firstname: 'W' }]);
    const id = (seeded.body.result as string[])[0];
    await admin(e, 'PATCH', `/records/contacts/${id}`, { firstname: 'Wendy', lastname: 'Hook' });
    await e.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    const req = receiver.received[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    const events = JSON.parse(req.body) as Array<Record<string, unknown>>;
    expect(events.map((ev) => [ev.subscriptionType, ev.propertyName, ev.propertyValue])).toEqual([
      ['contact.propertyChange', 'firstname', 'Wendy'], ['contact.propertyChange', 'lastname', 'Hook'],
    ]);
    expect(events[0]).toMatchObject({ objectId: Number(id), portalId: e.credentials.portalId, attemptNumber: 0, changeSource: 'CRM_UI' });
    const ts = String(req.headers['x-hubspot-request-timestamp']);
    expect(req.headers['x-hubspot-signature-v3']).toBe(expectedV3(e.credentials.clientSecret, plainUrl, req.body, ts));
    expect(req.headers['x-hubspot-signature-version']).toBe('v1');
    expect(req.headers['x-hubspot-signature']).toBe(createHash('sha256').update(e.credentials.clientSecret + req.body).digest('hex'));
  });

  it('v3 signs the URI with the documented escapes decoded', async () => {
    receiver = await startReceiver();
    emulator = await startHubSpotEmulator({ seed: 'wh2', webhookUrl: receiver.url });
    await admin(emulator, 'POST', '/records/contacts', { records: [{ email: 'n@example.com' }], notify: true });
    await emulator.webhooks.idle();
    const req = receiver.received[0]!;
    const decodedUri = receiver.url.replace('%2F', '/');
    expect(req.headers['x-hubspot-signature-v3'])
      .toBe(expectedV3(emulator.credentials.clientSecret, decodedUri, req.body, String(req.headers['x-hubspot-request-timestamp'])));
    const types = (JSON.parse(req.body) as Array<{ subscriptionType: string }>).map((ev) => ev.subscriptionType);
    expect(types).toEqual(['contact.creation', 'contact.propertyChange']);
  });

  it('signs legacy headers with v2 when configured', async () => {
    receiver = await startReceiver();
    emulator = await startHubSpotEmulator({ seed: 'wh3', webhookUrl: receiver.url, webhooks: { legacySignature: 'v2' } });
    await admin(emulator, 'POST', '/records/companies', { records: [{ name: 'Acme' }], notify: true });
    await emulator.webhooks.idle();
    const req = receiver.received[0]!;
    expect(req.headers['x-hubspot-signature-version']).toBe('v2');
    expect(req.headers['x-hubspot-signature'])
      .toBe(createHash('sha256').update(`${emulator.credentials.clientSecret}POST${receiver.url}${req.body}`).digest('hex'));
  });

  it('API writes and deletions fire events too, with changeSource INTEGRATION and changeFlag DELETED', async () => {
    receiver = await startReceiver();
    emulator = await startHubSpotEmulator({ seed: 'wh4', webhookUrl: receiver.url });
    const auth = { authorization: `Bearer ${emulator.credentials.privateAppToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${emulator.url}/crm/v3/objects/contacts/batch/create`, { method: 'POST', headers: auth, body: JSON.stringify({ inputs: [{ properties: { email: 'api@example.com' } }] }) });
    const id = ((await created.json()) as { results: Array<{ id: string }> }).results[0]!.id;
    await emulator.webhooks.idle();
    await admin(emulator, 'DELETE', `/records/contacts/${id}`);
    await emulator.webhooks.idle();
    const all = receiver.received.flatMap((r) => JSON.parse(r.body) as Array<Record<string, unknown>>);
    expect(all[0]).toMatchObject({ subscriptionType: 'contact.creation', changeSource: 'INTEGRATION', changeFlag: 'NEW' });
    expect(all.at(-1)).toMatchObject({ subscriptionType: 'contact.deletion', objectId: Number(id), changeFlag: 'DELETED' });
  });

  it('retries a 500 with a higher attemptNumber and a fresh signature, but never retries a 404', async () => {
    receiver = await startReceiver((_r, i) => (i === 0 ? 500 : 200));
    emulator = await startHubSpotEmulator({ seed: 'wh5', webhookUrl: receiver.url, webhooks: { retryBaseDelayMs: 1 } });
    await admin(emulator, 'POST', '/records/contacts', { records: [{ email: 'r@example.com' }], notify: true });
    await emulator.webhooks.idle();
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received.map((r) => JSON.parse(r.body) as Array<{ eventId: number; attemptNumber: number }>);
    expect(first!.map((ev) => ev.attemptNumber)).toEqual([0, 0]);
    expect(second!.map((ev) => ev.attemptNumber)).toEqual([1, 1]);
    expect(second!.map((ev) => ev.eventId)).toEqual(first!.map((ev) => ev.eventId));
    const r2 = receiver.received[1]!;
    expect(r2.headers['x-hubspot-signature-v3']).toBe(expectedV3(emulator.credentials.clientSecret, receiver.url.replace('%2F', '/'), r2.body, String(r2.headers['x-hubspot-request-timestamp'])));

    await receiver.close();
    receiver = await startReceiver(() => 404);
    await admin(emulator, 'PUT', '/webhooks', { url: receiver.url });
    await admin(emulator, 'POST', '/records/contacts', { records: [{ email: 's@example.com' }], notify: true });
    await emulator.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    const deliveries = emulator.webhooks.deliveries();
    expect(deliveries.at(-1)).toMatchObject({ state: 'failed', attempts: [{ attempt: 0, status: 404 }] });
  });

  it('puts at most maxEventsPerRequest events in one request', async () => {
    receiver = await startReceiver();
    emulator = await startHubSpotEmulator({ seed: 'wh6', webhookUrl: receiver.url, webhooks: { maxEventsPerRequest: 2, subscriptions: [{ eventType: 'contact.creation' }] } });
    await admin(emulator, 'POST', '/records/contacts', { records: [{ email: '1@x.com' }, { email: '2@x.com' }, { email: '3@x.com' }], notify: true });
    await emulator.webhooks.idle();
    expect(receiver.received.map((r) => (JSON.parse(r.body) as unknown[]).length).sort()).toEqual([1, 2]);
  });
});
