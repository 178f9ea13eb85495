/**
 * HubSpot as a member of the contract suite: the connector against the HubSpot emulator, and HubSpot's published
 * v1/v2 signature examples (PROVIDERS.md §1.7, copied from https://developers.hubspot.com/docs/faq/v1-request-validation,
 * https://developers.hubspot.com/docs/faq/v2-request-validation and the official Node SDK's signature tests).
 */
import { createHubspotConnector } from '../../../src/connectors/hubspot/hubspot-connector.js';
import { hubspotFacts } from '../../../src/connectors/hubspot/hubspot-objects.js';
import type { RemoteRecord, WebhookRequest } from '../../../src/connectors/contract.js';
import { startHubSpotEmulator } from '../../../src/emulators/hubspot/hubspot-emulator.js';
import { asRemoteId, asSystemId } from '../../../src/shared/ids.js';
import type { ContractSubject, PublishedWebhookExample } from '../contract-subject.js';
import { contextFor } from './connector-context.js';

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const V1_BODY = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const URI = 'https://www.example.com/webhook_uri';
const NOW = new Date('2026-03-01T00:00:00Z');

function request(method: string, body: string, headers: Record<string, string>): WebhookRequest {
  return { method, path: '/', url: URI, headers, rawBody: Buffer.from(body, 'utf8') };
}

const published: PublishedWebhookExample[] = [
  {
    name: 'v1 example (contact.creation)', now: NOW, secrets: { secret: SECRET }, verifies: true,
    request: request('POST', V1_BODY, { 'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de', 'x-hubspot-signature-version': 'v1' }),
    hints: [{ object: 'contacts', id: asRemoteId('123'), kind: 'upsert', eventId: '62515:1', eventType: 'contact.creation', occurredAt: '2019-07-26T04:00:00.000Z' }],
  },
  {
    name: 'v1 example with another secret', now: NOW, secrets: { secret: 'zzzzzzzz-yyyy-yyyy-yyyy-yyyyyyyyyyyy' }, verifies: 'signature',
    request: request('POST', V1_BODY, { 'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de', 'x-hubspot-signature-version': 'v1' }),
  },
  {
    name: 'v1 example with one body byte changed', now: NOW, secrets: { secret: SECRET }, verifies: 'signature',
    request: request('POST', V1_BODY.replace('"objectId":123', '"objectId":124'), { 'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de', 'x-hubspot-signature-version': 'v1' }),
  },
  {
    name: 'v2 GET example', now: NOW, secrets: { secret: SECRET }, verifies: true,
    request: request('GET', '', { 'x-hubspot-signature': 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e', 'x-hubspot-signature-version': 'v2' }),
  },
  {
    name: 'v2 POST example (SDK test)', now: NOW, secrets: { secret: SECRET }, verifies: true,
    request: request('POST', '{"example_field":"example_value"}', { 'x-hubspot-signature': '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900', 'x-hubspot-signature-version': 'v2' }),
  },
  {
    name: 'v2 POST example sent to another URI', now: NOW, secrets: { secret: SECRET }, verifies: 'signature',
    request: { ...request('POST', '{"example_field":"example_value"}', { 'x-hubspot-signature': '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900', 'x-hubspot-signature-version': 'v2' }), url: `${URI}?x=1` },
  },
  {
    // Derived in PROVIDERS.md (HubSpot publishes no v3 vector): pins the formula, not HubSpot's word.
    name: 'v3 derived vector inside its 5-minute window', now: new Date(1_700_000_000_000 + 60_000), secrets: { secret: SECRET }, verifies: true,
    request: request('POST', '{"example_field":"example_value"}', { 'x-hubspot-signature-v3': 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=', 'x-hubspot-request-timestamp': '1700000000000' }),
  },
  {
    name: 'v3 derived vector past its 5-minute window', now: new Date(1_700_000_000_000 + 301_000), secrets: { secret: SECRET }, verifies: 'timestamp',
    request: request('POST', '{"example_field":"example_value"}', { 'x-hubspot-signature-v3': 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=', 'x-hubspot-request-timestamp': '1700000000000' }),
  },
];

export const hubspotSubject: ContractSubject = {
  system: 'hubspot',
  async start() {
    // The published examples' secret, so the emulator's own v1/v2 signatures can be checked against them too.
    // Limits are raised: 429s are injected as faults, not provoked by the suite's pace.
    const emulator = await startHubSpotEmulator({
      seed: 'contract', credentials: { clientSecret: SECRET },
      limits: { burstPer10Seconds: 100_000, searchPerSecond: 10_000, daily: 10_000_000 },
    });
    const make = (accessToken: string) =>
      createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: emulator.url, credentials: { access_token: accessToken }, emulator: true });
    const connector = make(emulator.credentials.privateAppToken);
    const badConnector = make('pat-na1-00000000-0000-0000-0000-000000000000');
    return {
      connector, badConnector, ctx: contextFor(connector), badCtx: contextFor(badConnector),
      emulatorUrl: emulator.url,
      object: 'contacts',
      matchField: 'email',
      pageSize: hubspotFacts.pagination.maxPageSize,
      seedRecord: (email, name) => ({ properties: { email, firstname: name } }),
      userEdit: (name) => ({ properties: { firstname: name } }),
      nameOf: (r: RemoteRecord) => r.fields.firstname,
      createFields: (email, name) => ({ email, firstname: name }),
      updateFields: (name) => ({ firstname: name }),
      // HubSpot refuses unknown properties (PROVIDERS.md §1.6).
      invalidCreateFields: (email) => ({ email, no_such_property_anywhere: 'x' }),
      absentId: asRemoteId('987654321987'),
      webhookPath: '',
      webhookModes: [
        { name: 'v3 signature', emulatorSettings: { legacySignature: 'none' }, secrets: { secret: SECRET }, timestampWindowMs: 300_000 },
        { name: 'v1 signature', emulatorSettings: { legacySignature: 'v1' }, secrets: { secret: SECRET, allowedVersions: 'v1' } },
        { name: 'v2 signature', emulatorSettings: { legacySignature: 'v2' }, secrets: { secret: SECRET, allowedVersions: 'v2' } },
      ],
      publishedExamples: published,
      close: () => emulator.close(),
    };
  },
};
