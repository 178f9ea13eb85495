import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulatorOptions, type RunningHubSpotEmulator } from '../../../src/emulators/hubspot/hubspot-emulator.js';
import { startReceiver } from './webhook-receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let emulator: RunningHubSpotEmulator | undefined;
let receiver: Receiver | undefined;
afterEach(async () => { await emulator?.close(); await receiver?.close(); emulator = undefined; receiver = undefined; });

async function start(options: HubSpotEmulatorOptions = {}) {
  emulator = await startHubSpotEmulator({ seed: 'consent', ...options });
  const e = emulator;
  const auth = { authorization: `Bearer ${e.credentials.privateAppToken}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = auth) => {
    const res = await fetch(`${e.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const admin = (method: string, path: string, body?: unknown) => call(method, `/__emulator${path}`, body, { 'content-type': 'application/json' });
  const contact = async (email: string, extra: Record<string, string> = {}) => {
    const r = await admin('POST', '/records/contacts', [{ email, firstname: 'Ann', ...extra }]);
    expect(r.status).toBe(201);
    return (r.body.result as string[])[0] as string;
  };
  const read = async (id: string) => (await call('GET', `/crm/v3/objects/contacts/${id}?properties=hs_email_optout,lastmodifieddate`)).body;
  return { e, call, admin, contact, read };
}

const READ_ONLY = 'hs_email_optout is a read only property; its value cannot be set.';

describe('HubSpot emulator: hs_email_optout is read-only on the objects API', () => {
  it('a single PATCH that sets it is a 400 naming the property, and nothing changes', async () => {
    const { call, contact, read } = await start();
    const id = await contact('ann@example.com');
    const before = await read(id);
    const r = await call('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { hs_email_optout: 'true', firstname: 'Anna' } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(r.body.message).toContain(READ_ONLY);
    expect(r.body.errors).toEqual([{ message: READ_ONLY, code: 'READ_ONLY_VALUE', context: { propertyName: ['hs_email_optout'] } }]);
    const after = await read(id);
    expect(after.properties.hs_email_optout).toBeNull();
    expect(after.updatedAt).toBe(before.updatedAt);
  });

  it('create, update and upsert batches without trace ids fail whole; with objectWriteTraceId only that input fails (207)', async () => {
    const { call, contact, read } = await start();
    const id = await contact('bob@example.com');
    for (const [action, inputs] of [
      ['create', [{ properties: { email: 'new@example.com', hs_email_optout: 'false' } }]],
      ['update', [{ id, properties: { hs_email_optout: 'true' } }]],
      ['upsert', [{ id: 'bob@example.com', idProperty: 'email', properties: { hs_email_optout: 'true' } }]],
    ] as const) {
      const r = await call('POST', `/crm/v3/objects/contacts/batch/${action}`, { inputs });
      expect(r.status, action).toBe(400);
      expect(r.body.message, action).toContain(READ_ONLY);
    }
    const r = await call('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [
      { id, objectWriteTraceId: 'a', properties: { hs_email_optout: 'true' } },
      { id, objectWriteTraceId: 'b', properties: { lastname: 'Kept' } },
    ] });
    expect(r.status).toBe(207);
    expect(r.body.results.map((x: { objectWriteTraceId: string }) => x.objectWriteTraceId)).toEqual(['b']);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['a'] } });
    expect(r.body.errors[0].message).toContain(READ_ONLY);
    expect((await read(id)).properties.hs_email_optout).toBeNull();
    const list = await call('GET', `/crm/v3/objects/contacts?properties=email`);
    expect(list.body.results.map((x: { properties: { email: string } }) => x.properties.email)).toEqual(['bob@example.com']);
  });

  it('the per-subscription opt-out properties are read-only too, and the properties API reports them so', async () => {
    const { call, contact } = await start();
    const id = await contact('cy@example.com');
    const r = await call('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { hs_email_optout_8458482: 'true' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('hs_email_optout_8458482 is a read only property');
    const props = await call('GET', '/crm/v3/properties/contacts');
    const optout = props.body.results.find((p: { name: string }) => p.name === 'hs_email_optout');
    expect(optout.modificationMetadata.readOnlyValue).toBe(true);
  });

  it('a user edit through the admin API may still set it either way, and fires the webhook as a UI change', async () => {
    receiver = await startReceiver();
    const { admin, contact, read, e } = await start({ webhookUrl: receiver.url });
    const id = await contact('dee@example.com', { hs_email_optout: 'false' });
    expect((await admin('PATCH', `/records/contacts/${id}`, { hs_email_optout: 'true' })).status).toBe(200);
    expect((await read(id)).properties.hs_email_optout).toBe('true');
    expect((await admin('PATCH', `/records/contacts/${id}`, { properties: { hs_email_optout: 'false' } })).status).toBe(200);
    expect((await read(id)).properties.hs_email_optout).toBe('false');
    await e.webhooks.idle();
    const events = receiver.received.flatMap((r) => JSON.parse(r.body) as Array<Record<string, unknown>>);
    expect(events.filter((ev) => ev.propertyName === 'hs_email_optout').map((ev) => [ev.propertyValue, ev.changeSource]))
      .toEqual([['true', 'CRM_UI'], ['false', 'CRM_UI']]);
  });
});
