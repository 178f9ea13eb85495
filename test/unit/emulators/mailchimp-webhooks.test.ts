import { afterEach, describe, expect, it } from 'vitest';
import { startMailchimpEmulator, type RunningMailchimpEmulator } from '../../../src/emulators/mailchimp/mailchimp-emulator.js';
import { startReceiver } from './webhook-receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let emulator: RunningMailchimpEmulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => { await emulator?.close(); await receiver?.close(); emulator = undefined; receiver = undefined; });

const auth = (key: string) => ({ authorization: `Basic ${Buffer.from(`u:${key}`).toString('base64')}`, 'content-type': 'application/json' });
const adminCall = (e: RunningMailchimpEmulator, method: string, path: string, body?: unknown) =>
  fetch(`${e.url}/__emulator${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

describe('Mailchimp emulator webhooks', () => {
  it('registration GETs the URL first and succeeds only when it answers 200', async () => {
    receiver = await startReceiver();
    emulator = await startMailchimpEmulator({ seed: 'mcw' });
    const e = emulator;
    const ok = await fetch(`${e.url}/3.0/lists/${e.credentials.listId}/webhooks`, {
      method: 'POST', headers: auth(e.credentials.apiKey),
      body: JSON.stringify({ url: receiver.url, events: { subscribe: true, unsubscribe: true }, sources: { user: true, admin: true, api: false } }),
    });
    expect(ok.status).toBe(200);
    expect(receiver.received).toEqual([expect.objectContaining({ method: 'GET', url: '/hooks/concord?secret=s3cr%2Fet', body: '' })]);
    expect(await ok.json()).toMatchObject({ url: receiver.url, list_id: e.credentials.listId, sources: { api: false } });

    const refusing = await startReceiver(() => 404);
    try {
      const bad = await fetch(`${e.url}/3.0/lists/${e.credentials.listId}/webhooks`, {
        method: 'POST', headers: auth(e.credentials.apiKey), body: JSON.stringify({ url: refusing.url }),
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ title: 'Invalid Resource', status: 400 });
      const listed = await fetch(`${e.url}/3.0/lists/${e.credentials.listId}/webhooks`, { headers: auth(e.credentials.apiKey) });
      expect(((await listed.json()) as { total_items: number }).total_items).toBe(1);
    } finally {
      await refusing.close();
    }
  });

  it('a user unsubscribing sends a form-encoded POST with type, fired_at and data[...] to the URL with its secret', async () => {
    receiver = await startReceiver();
    emulator = await startMailchimpEmulator({ seed: 'mcw2', webhookUrl: receiver.url });
    const e = emulator;
    await adminCall(e, 'POST', '/records/members', [{ email_address: 'Ann@Example.com', merge_fields: { FNAME: 'Ann', LNAME: 'Lee' } }]);
    await adminCall(e, 'PATCH', '/records/members/ann@example.com', { status: 'unsubscribed' });
    await e.webhooks.idle();
    expect(receiver.received).toHaveLength(1);
    const req = receiver.received[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/concord?secret=s3cr%2Fet');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req.body);
    expect(form.get('type')).toBe('unsubscribe');
    expect(form.get('fired_at')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(form.get('data[email]')).toBe('Ann@Example.com');
    expect(form.get('data[list_id]')).toBe(e.credentials.listId);
    expect(form.get('data[merges][FNAME]')).toBe('Ann');
    expect(form.get('data[merges][LNAME]')).toBe('Lee');
    expect(form.get('data[action]')).toBe('unsub');
  });

  it('profile edits, email changes and cleans are their own event types', async () => {
    receiver = await startReceiver();
    emulator = await startMailchimpEmulator({ seed: 'mcw3', webhookUrl: receiver.url });
    const e = emulator;
    await adminCall(e, 'POST', '/records/members', [{ email_address: 'p@example.com' }, { email_address: 'q@example.com' }]);
    await adminCall(e, 'PATCH', '/records/members/p@example.com?source=admin', { merge_fields: { FNAME: 'Pat' } });
    await adminCall(e, 'PATCH', '/records/members/p@example.com', { email_address: 'pat@example.com' });
    await adminCall(e, 'PATCH', '/records/members/q@example.com', { status: 'cleaned' });
    await e.webhooks.idle();
    const forms = receiver.received.map((r) => new URLSearchParams(r.body));
    expect(forms.map((f) => f.get('type'))).toEqual(['profile', 'upemail', 'cleaned']);
    expect(forms[0]!.get('data[merges][FNAME]')).toBe('Pat');
    expect([forms[1]!.get('data[old_email]'), forms[1]!.get('data[new_email]')]).toEqual(['p@example.com', 'pat@example.com']);
    expect(forms[2]!.get('data[reason]')).toBe('hard');
  });

  it('changes made through the API are not sent when the webhook leaves the api source off (the default)', async () => {
    receiver = await startReceiver();
    emulator = await startMailchimpEmulator({ seed: 'mcw4', webhookUrl: receiver.url });
    const e = emulator;
    await fetch(`${e.url}/3.0/lists/${e.credentials.listId}/members`, {
      method: 'POST', headers: auth(e.credentials.apiKey), body: JSON.stringify({ email_address: 'api@example.com', status: 'subscribed' }),
    });
    await adminCall(e, 'POST', '/records/members', { records: [{ email_address: 'ui@example.com' }], notify: true });
    await e.webhooks.idle();
    expect(receiver.received.map((r) => new URLSearchParams(r.body).get('data[email]'))).toEqual(['ui@example.com']);
  });

  it('a campaign action sends a campaign event with its id, subject and status', async () => {
    receiver = await startReceiver();
    emulator = await startMailchimpEmulator({ seed: 'mcw6', webhookUrl: receiver.url });
    const r = await adminCall(emulator, 'POST', '/actions/campaign', { id: 'c1', subject: 'Spring news' });
    expect(r.status).toBe(200);
    await emulator.webhooks.idle();
    const form = new URLSearchParams(receiver.received[0]!.body);
    expect([form.get('type'), form.get('data[id]'), form.get('data[subject]'), form.get('data[status]'), form.get('data[list_id]')])
      .toEqual(['campaign', 'c1', 'Spring news', 'sent', emulator.credentials.listId]);
  });

  it('retries an unreachable or failing receiver and sends the same body again', async () => {
    receiver = await startReceiver((_r, i) => (i < 2 ? 503 : 200));
    emulator = await startMailchimpEmulator({ seed: 'mcw5', webhookUrl: receiver.url, webhooks: { retryBaseDelayMs: 1 } });
    await adminCall(emulator, 'POST', '/records/members', { records: [{ email_address: 'r@example.com' }], notify: true });
    await emulator.webhooks.idle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(emulator.webhooks.deliveries()[0]).toMatchObject({ state: 'delivered', attempts: [{ status: 503 }, { status: 503 }, { status: 200 }] });
  });
});
