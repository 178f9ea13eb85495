import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeV3Uri, signV1, signV2, signV3 } from '../../../src/emulators/hubspot/hubspot-signature.js';

// Published vectors: https://developers.hubspot.com/docs/faq/v1-request-validation,
// https://developers.hubspot.com/docs/faq/v2-request-validation and the official Node SDK's signature tests
// (copied in /work/shared/providers/crm-marketing-support.md §1.7).
const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const v1Body = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

describe('HubSpot webhook signatures', () => {
  it('reproduces the published v1 example', () => {
    expect(signV1(secret, v1Body)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it('reproduces the published v2 GET and POST examples', () => {
    expect(signV2(secret, 'GET', 'https://www.example.com/webhook_uri', '')).toBe('eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e');
    expect(signV2(secret, 'POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}'))
      .toBe('9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900');
  });

  it('reproduces the derived v3 vector', () => {
    expect(signV3(secret, 'POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}', 1700000000000))
      .toBe('rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=');
  });

  it('v3 decodes only the listed escapes in the URI and keeps the others', () => {
    expect(decodeV3Uri('https://x.test/h%3Fa%2Fb?s=%20%3A%40')).toBe('https://x.test/h?a/b?s=%20:@');
  });

  it('v3 equals the documented formula for any body and timestamp (plain URIs)', () => {
    fc.assert(fc.property(fc.string(), fc.nat(), fc.string({ minLength: 1 }), (body, ts, key) => {
      const uri = 'https://receiver.test/webhooks/hubspot?x=1';
      const expected = createHmac('sha256', key).update(`POST${uri}${body}${ts}`, 'utf8').digest('base64');
      expect(signV3(key, 'POST', uri, body, ts)).toBe(expected);
    }));
  });
});
