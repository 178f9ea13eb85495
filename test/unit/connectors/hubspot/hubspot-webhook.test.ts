import { describe, expect, it } from 'vitest';
import { hubspotWebhook, signV1, signV2, signV3 } from '../../../../src/connectors/hubspot/hubspot-webhook.js';
import type { WebhookRequest } from '../../../../src/connectors/contract.js';

// Published examples, copied from HubSpot's request-validation docs and the official Node SDK tests
// (PROVIDERS.md §1.7). The v3 one is derived, not published.
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const V1_BODY = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const URI = 'https://www.example.com/webhook_uri';
const POST_BODY = '{"example_field":"example_value"}';

function request(over: Partial<WebhookRequest> & { body?: string }): WebhookRequest {
  return { method: 'POST', path: '/', url: URI, headers: {}, rawBody: Buffer.from(over.body ?? ''), ...over };
}

describe('HubSpot signatures: published examples', () => {
  it('v1 = hex SHA-256(secret + body)', () => {
    expect(signV1(SECRET, V1_BODY)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });
  it('v2 GET = hex SHA-256(secret + method + uri)', () => {
    expect(signV2(SECRET, 'GET', URI, '')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
  });
  it('v2 POST = hex SHA-256(secret + method + uri + body)', () => {
    expect(signV2(SECRET, 'POST', URI, POST_BODY)).toBe('9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900');
  });
  it('v3 derived vector', () => {
    expect(signV3(SECRET, 'POST', URI, POST_BODY, '1700000000000')).toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
  });
});

describe('HubSpot webhook verification', () => {
  const at = new Date(1700000000000 + 60_000);
  const v3 = (over: Record<string, string> = {}, body = POST_BODY) => request({
    body, headers: { 'x-hubspot-signature-v3': 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=', 'x-hubspot-request-timestamp': '1700000000000', ...over },
  });

  it('accepts a valid v3 request within five minutes, also when a proxy turned + into a space', () => {
    expect(hubspotWebhook.verify(v3(), { secret: SECRET }, at)).toEqual({ ok: true });
    expect(hubspotWebhook.verify(v3({ 'x-hubspot-signature-v3': 'rQEKkaNUiu 1qGF//O/pw4BCzstSqO1PyUnGICmf 7o=' }), { secret: SECRET }, at)).toEqual({ ok: true });
  });
  it('refuses a stale, a future, or a missing timestamp', () => {
    expect(hubspotWebhook.verify(v3(), { secret: SECRET }, new Date(1700000000000 + 300_001))).toMatchObject({ ok: false, reason: 'timestamp' });
    expect(hubspotWebhook.verify(v3(), { secret: SECRET }, new Date(1700000000000 - 300_001))).toMatchObject({ ok: false, reason: 'timestamp' });
    const noTs = request({ body: POST_BODY, headers: { 'x-hubspot-signature-v3': 'x' } });
    expect(hubspotWebhook.verify(noTs, { secret: SECRET }, at)).toMatchObject({ ok: false, reason: 'timestamp' });
  });
  it('refuses a wrong secret, a changed body and a changed URL', () => {
    expect(hubspotWebhook.verify(v3(), { secret: 'other' }, at)).toMatchObject({ ok: false, reason: 'signature' });
    expect(hubspotWebhook.verify(v3({}, '{"example_field":"changed"}'), { secret: SECRET }, at)).toMatchObject({ ok: false, reason: 'signature' });
    expect(hubspotWebhook.verify({ ...v3(), url: `${URI}?x=1` }, { secret: SECRET }, at)).toMatchObject({ ok: false, reason: 'signature' });
  });
  it('accepts v3 signed over the URI with the documented escapes decoded', () => {
    const url = 'https://www.example.com/webhook_uri?next=a%3Ab';
    const sig = signV3(SECRET, 'POST', 'https://www.example.com/webhook_uri?next=a:b', POST_BODY, '1700000000000');
    const req = request({ url, body: POST_BODY, headers: { 'X-HubSpot-Signature-v3': sig, 'X-HubSpot-Request-Timestamp': '1700000000000' } });
    expect(hubspotWebhook.verify(req, { secret: SECRET }, at)).toEqual({ ok: true });
  });
  it('verifies the published v1 and v2 requests by their version header', () => {
    const v1 = request({ body: V1_BODY, headers: { 'X-HubSpot-Signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de', 'X-HubSpot-Signature-Version': 'v1' } });
    expect(hubspotWebhook.verify(v1, { secret: SECRET }, at)).toEqual({ ok: true });
    const v2 = request({ body: POST_BODY, headers: { 'X-HubSpot-Signature': '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900', 'X-HubSpot-Signature-Version': 'v2' } });
    expect(hubspotWebhook.verify(v2, { secret: SECRET }, at)).toEqual({ ok: true });
    const v2get = request({ method: 'GET', headers: { 'X-HubSpot-Signature': 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e', 'X-HubSpot-Signature-Version': 'v2' } });
    expect(hubspotWebhook.verify(v2get, { secret: SECRET }, at)).toEqual({ ok: true });
    expect(hubspotWebhook.verify({ ...v1, rawBody: Buffer.from(V1_BODY.replace('123', '124')) }, { secret: SECRET }, at)).toMatchObject({ ok: false, reason: 'signature' });
  });
  it('refuses v1 and v2 when the system allows only v3', () => {
    const v1 = request({ body: V1_BODY, headers: { 'X-HubSpot-Signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de', 'X-HubSpot-Signature-Version': 'v1' } });
    expect(hubspotWebhook.verify(v1, { secret: SECRET, allowedVersions: 'v3' }, at)).toMatchObject({ ok: false, reason: 'missing-signature' });
    expect(hubspotWebhook.verify(v3(), { secret: SECRET, allowedVersions: 'v3' }, at)).toEqual({ ok: true });
  });
  it('refuses a request without any signature, and an unknown signature version', () => {
    expect(hubspotWebhook.verify(request({ body: V1_BODY }), { secret: SECRET }, at)).toMatchObject({ ok: false, reason: 'missing-signature' });
    const v9 = request({ body: V1_BODY, headers: { 'X-HubSpot-Signature': 'ab', 'X-HubSpot-Signature-Version': 'v9' } });
    expect(hubspotWebhook.verify(v9, { secret: SECRET }, at)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('HubSpot webhook parsing', () => {
  it('turns the published event into a change hint', () => {
    expect(hubspotWebhook.parse(request({ body: V1_BODY }))).toEqual([
      { object: 'contacts', id: '123', eventId: '62515:1', occurredAt: '2019-07-26T04:00:00.000Z', kind: 'upsert', eventType: 'contact.creation' },
    ]);
  });
  it('reads property changes, deletions, company events and merges, and drops objects it does not sync', () => {
    const body = JSON.stringify([
      { eventId: 2, portalId: 1, occurredAt: 1700000000000, subscriptionType: 'contact.propertyChange', objectId: 5, propertyName: 'firstname', propertyValue: 'Ann' },
      { eventId: 3, portalId: 1, occurredAt: 1700000000001, subscriptionType: 'company.deletion', objectId: 9 },
      { eventId: 4, portalId: 1, occurredAt: 1700000000002, subscriptionType: 'deal.creation', objectId: 11 },
      { eventId: 5, portalId: 1, occurredAt: 1700000000003, subscriptionType: 'contact.merge', objectId: 7, primaryObjectId: 7, mergedObjectIds: [7, 8] },
      { eventId: 6, portalId: 1, occurredAt: 1700000000004, subscriptionType: 'contact.privacyDeletion', objectId: 12 },
    ]);
    const hints = hubspotWebhook.parse(request({ body }));
    expect(hints.map((h) => [h.object, h.id, h.kind, h.eventId])).toEqual([
      ['contacts', '5', 'upsert', '1:2'], ['companies', '9', 'delete', '1:3'],
      ['contacts', '7', 'upsert', '1:5'], ['contacts', '8', 'delete', '1:5:8'], ['contacts', '12', 'delete', '1:6'],
    ]);
    expect(hints[0]!.fields).toEqual({ firstname: 'Ann' });
  });
  it('throws the coded malformed error for bodies it cannot read', () => {
    for (const body of ['not json', '{"eventId":1}', '[{"eventId":1}]']) {
      expect(() => hubspotWebhook.parse(request({ body }))).toThrowError(expect.objectContaining({ code: 'CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED' }));
    }
  });
});
