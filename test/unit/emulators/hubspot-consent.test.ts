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

const V4 = '/communication-preferences/v4';
const MARKETING = '8458482';

describe('HubSpot emulator: communication preferences API', () => {
  it('lists subscription definitions in the v3 and v4 shapes', async () => {
    const { call } = await start();
    const v3 = await call('GET', '/communication-preferences/v3/definitions');
    expect(v3.status).toBe(200);
    expect(v3.body.subscriptionDefinitions.map((d: { id: string; name: string }) => [d.id, d.name]))
      .toEqual([[MARKETING, 'Marketing Information'], ['8458483', 'One to One']]);
    const v4 = await call('GET', `${V4}/definitions`);
    expect(v4.status).toBe(200);
    expect(v4.body.status).toBe('COMPLETE');
    expect(v4.body.results[0]).toMatchObject({ id: MARKETING, businessUnitId: 0, communicationMethod: 'Email', isActive: true });
  });

  it('unsubscribe-all opts the contact out: hs_email_optout true, lastmodifieddate moves, the propertyChange webhook fires', async () => {
    receiver = await startReceiver();
    const { e, call, contact, read } = await start({ webhookUrl: receiver.url });
    const id = await contact('eve@example.com');
    const before = await read(id);
    expect((await call('GET', `${V4}/statuses/eve@example.com/unsubscribe-all?channel=EMAIL`)).body.results).toEqual([]);
    await call('POST', '/__emulator/clock', { advanceMs: 60_000 }, { 'content-type': 'application/json' });

    const r = await call('POST', `${V4}/statuses/eve%40example.com/unsubscribe-all?channel=EMAIL`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'COMPLETE', results: [] });
    const after = await read(id);
    expect(after.properties.hs_email_optout).toBe('true');
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));
    expect(after.properties.lastmodifieddate).toBe(after.updatedAt);

    const wide = await call('GET', `${V4}/statuses/eve@example.com/unsubscribe-all?channel=EMAIL`);
    expect(wide.body.results).toEqual([expect.objectContaining({ status: 'UNSUBSCRIBED', channel: 'EMAIL', subscriberIdString: 'eve@example.com', wideStatusType: 'PORTAL_WIDE' })]);
    const statuses = await call('GET', `${V4}/statuses/eve@example.com?channel=EMAIL`);
    expect(statuses.body.results.map((s: { subscriptionId: number; status: string }) => [s.subscriptionId, s.status]))
      .toEqual([[8458482, 'UNSUBSCRIBED'], [8458483, 'UNSUBSCRIBED']]);
    const v3 = await call('GET', '/communication-preferences/v3/status/email/eve@example.com');
    expect(v3.body.subscriptionStatuses[0]).toMatchObject({ id: MARKETING, status: 'NOT_SUBSCRIBED', sourceOfStatus: 'PORTAL_WIDE_STATUS' });

    await e.webhooks.idle();
    const events = receiver.received.flatMap((x) => JSON.parse(x.body) as Array<Record<string, unknown>>)
      .filter((ev) => ev.subscriptionType === 'contact.propertyChange' && ev.objectId === Number(id));
    expect(events.find((ev) => ev.propertyName === 'hs_email_optout')).toMatchObject({ propertyValue: 'true', changeSource: 'INTEGRATION' });

    // A second unsubscribe-all changes nothing and sends nothing more.
    const sent = receiver.received.length;
    const again = await call('POST', `${V4}/statuses/eve@example.com/unsubscribe-all?channel=EMAIL&verbose=true`);
    expect(again.status).toBe(200);
    expect((await read(id)).updatedAt).toBe(after.updatedAt);
    await e.webhooks.idle();
    expect(receiver.received.length).toBe(sent);
  });

  it('verbose=true answers the subscriptions the contact was unsubscribed from', async () => {
    const { call, contact } = await start();
    await contact('fay@example.com');
    const r = await call('POST', `${V4}/statuses/fay@example.com/unsubscribe-all?channel=EMAIL&verbose=true`);
    expect(r.body.results.map((s: { subscriptionId: number; status: string }) => [s.subscriptionId, s.status]))
      .toEqual([[8458482, 'UNSUBSCRIBED'], [8458483, 'UNSUBSCRIBED']]);
  });

  it('unsubscribing one subscription (v3 and v4) sets its status and hs_email_optout_<id>, not the opt-out of all', async () => {
    const { call, contact } = await start();
    const id = await contact('gil@example.com');
    const v3 = await call('POST', '/communication-preferences/v3/unsubscribe', { emailAddress: 'gil@example.com', subscriptionId: MARKETING, legalBasis: 'NON_GDPR' });
    expect(v3.status).toBe(200);
    expect(v3.body).toMatchObject({ id: MARKETING, status: 'NOT_SUBSCRIBED', sourceOfStatus: 'SUBSCRIPTION_STATUS', legalBasis: 'NON_GDPR' });
    const v4 = await call('POST', `${V4}/statuses/gil@example.com`, { channel: 'EMAIL', subscriptionId: 8458483, statusState: 'UNSUBSCRIBED' });
    expect(v4.status).toBe(200);
    expect(v4.body.results[0]).toMatchObject({ subscriptionId: 8458483, status: 'UNSUBSCRIBED', setStatusSuccessReason: 'REQUESTED_CHANGE_OCCURRED' });
    const c = (await call('GET', `/crm/v3/objects/contacts/${id}?properties=hs_email_optout,hs_email_optout_8458482,hs_email_optout_8458483`)).body;
    expect(c.properties).toMatchObject({ hs_email_optout: null, hs_email_optout_8458482: 'true', hs_email_optout_8458483: 'true' });
  });

  it('an integration cannot re-subscribe a contact who opted out (v3 subscribe and v4 SUBSCRIBED are 400s)', async () => {
    const { call, contact, admin, read } = await start();
    const id = await contact('hal@example.com');
    expect((await call('POST', '/communication-preferences/v3/subscribe', { emailAddress: 'hal@example.com', subscriptionId: MARKETING })).status).toBe(200);
    await call('POST', `${V4}/statuses/hal@example.com/unsubscribe-all?channel=EMAIL`);

    const v3 = await call('POST', '/communication-preferences/v3/subscribe', { emailAddress: 'hal@example.com', subscriptionId: MARKETING, legalBasis: 'CONSENT_WITH_NOTICE' });
    expect(v3.status).toBe(400);
    expect(v3.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(v3.body.message).toContain('cannot be resubscribed');
    const v4 = await call('POST', `${V4}/statuses/hal@example.com`, { channel: 'EMAIL', subscriptionId: Number(MARKETING), statusState: 'SUBSCRIBED', legalBasis: 'CONSENT_WITH_NOTICE' });
    expect(v4.status).toBe(400);
    expect((await read(id)).properties.hs_email_optout).toBe('true');

    // The contact acting for themselves (admin API = HubSpot's UI or a form) can opt back in.
    await admin('PATCH', `/records/contacts/${id}`, { hs_email_optout: 'false' });
    expect((await call('GET', `${V4}/statuses/hal@example.com/unsubscribe-all?channel=EMAIL`)).body.results).toEqual([]);
  });

  it('with resubscribeOptedOut allow-v4, a v4 SUBSCRIBED clears the opt-out; v3 still refuses', async () => {
    const { call, contact, read } = await start({ resubscribeOptedOut: 'allow-v4' });
    const id = await contact('ida@example.com');
    await call('POST', `${V4}/statuses/ida@example.com/unsubscribe-all?channel=EMAIL`);
    expect((await call('POST', '/communication-preferences/v3/subscribe', { emailAddress: 'ida@example.com', subscriptionId: MARKETING })).status).toBe(400);
    const v4 = await call('POST', `${V4}/statuses/ida@example.com`, { channel: 'EMAIL', subscriptionId: Number(MARKETING), statusState: 'SUBSCRIBED', legalBasis: 'CONSENT_WITH_NOTICE' });
    expect(v4.status).toBe(200);
    expect(v4.body.results[0]).toMatchObject({ status: 'SUBSCRIBED', legalBasis: 'CONSENT_WITH_NOTICE' });
    expect((await read(id)).properties.hs_email_optout).toBe('false');
  });

  it('refuses bad bodies with HubSpot error bodies: missing fields, unknown subscription, channel, statusState, legal basis', async () => {
    const { call } = await start();
    const missing = await call('POST', '/communication-preferences/v3/subscribe', {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('Invalid input JSON on line 1, column 2: Cannot build PublicUpdateSubscriptionStatusRequest, some of required attributes are not set [emailAddress, subscriptionId]');
    expect(missing.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    const unknown = await call('POST', '/communication-preferences/v3/unsubscribe', { emailAddress: 'x@example.com', subscriptionId: '1' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('allowed: 8458482, 8458483');
    expect((await call('GET', `${V4}/statuses/x@example.com`)).status).toBe(400);
    expect((await call('POST', `${V4}/statuses/x@example.com/unsubscribe-all?channel=SMS`)).status).toBe(400);
    expect((await call('POST', `${V4}/statuses/x@example.com`, { channel: 'EMAIL', subscriptionId: 8458482, statusState: 'OPTED_OUT' })).status).toBe(400);
    expect((await call('POST', `${V4}/statuses/x@example.com`, { channel: 'EMAIL', subscriptionId: 8458482, statusState: 'UNSUBSCRIBED', legalBasis: 'BECAUSE' })).status).toBe(400);
  });

  it('needs a token (401) and, when scopes are configured, the documented scopes (403 MISSING_SCOPES)', async () => {
    const { call } = await start({ scopes: ['crm.objects.contacts.read', 'communication_preferences.read'] });
    expect((await call('GET', `${V4}/definitions`, undefined, {})).status).toBe(401);
    expect((await call('GET', `${V4}/statuses/x@example.com?channel=EMAIL`)).status).toBe(200);
    const denied = await call('POST', `${V4}/statuses/x@example.com/unsubscribe-all?channel=EMAIL`);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ status: 'error', category: 'MISSING_SCOPES' });
    expect(denied.body.errors[0].context.requiredGranularScopes).toEqual(['communication_preferences.write', 'communication_preferences.read_write']);
  });

  it('reset forgets every subscription status', async () => {
    const { call, contact, admin } = await start();
    await contact('jo@example.com');
    await call('POST', '/communication-preferences/v3/unsubscribe', { emailAddress: 'jo@example.com', subscriptionId: MARKETING });
    await admin('POST', '/reset');
    const s = await call('GET', `${V4}/statuses/jo@example.com?channel=EMAIL`);
    expect(s.body.results[0]).toMatchObject({ subscriptionId: 8458482, status: 'NOT_SPECIFIED' });
  });
});
