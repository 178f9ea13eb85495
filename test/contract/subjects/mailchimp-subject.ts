/**
 * Mailchimp as a member of the contract suite: the connector against the Mailchimp emulator. Mailchimp signs
 * nothing: a secret in the URL authenticates deliveries, and a GET checks the URL when a webhook is registered
 * (https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/). The published example is the
 * guide's subscribe event (PROVIDERS.md §5.7).
 */
import { createHash } from 'node:crypto';
import { createMailchimpConnector } from '../../../src/connectors/mailchimp/mailchimp-connector.js';
import { mailchimpFacts } from '../../../src/connectors/mailchimp/mailchimp-objects.js';
import type { RemoteRecord, WebhookRequest } from '../../../src/connectors/contract.js';
import { startMailchimpEmulator } from '../../../src/emulators/mailchimp/mailchimp-emulator.js';
import { asRemoteId, asSystemId } from '../../../src/shared/ids.js';
import type { ContractSubject, PublishedWebhookExample } from '../contract-subject.js';
import { contextFor } from './connector-context.js';

const URL_SECRET = 'c0ntract-url-secret';
const GUIDE_BODY = 'type=subscribe&fired_at=2009-03-26 21:35:57&data[id]=8a25ff1d98&data[list_id]=a6b5da1054'
  + '&data[email]=api@mailchimp.com&data[email_type]=html&data[merges][EMAIL]=api@mailchimp.com'
  + '&data[merges][FNAME]=Mailchimp&data[merges][LNAME]=API&data[merges][INTERESTS]=Group1,Group2'
  + '&data[ip_opt]=10.20.10.30&data[ip_signup]=10.20.10.30';

function guideRequest(path: string): WebhookRequest {
  return {
    method: 'POST', path, url: `https://concord.example.com/webhooks/mailchimp${path}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: Buffer.from(GUIDE_BODY, 'utf8'),
  };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const now = new Date('2026-03-01T00:00:00Z');

const published: PublishedWebhookExample[] = [
  {
    name: 'the guide’s subscribe event, with the URL secret', now, secrets: { secret: URL_SECRET }, verifies: true,
    request: guideRequest(`/${URL_SECRET}`),
    hints: [{
      object: 'members', id: asRemoteId(md5('api@mailchimp.com')), kind: 'upsert', eventType: 'subscribe', occurredAt: '2009-03-26T21:35:57.000Z',
      fields: { email_address: 'api@mailchimp.com', status: 'subscribed', list_id: 'a6b5da1054',
        merge_fields: { EMAIL: 'api@mailchimp.com', FNAME: 'Mailchimp', LNAME: 'API', INTERESTS: 'Group1,Group2' } },
    }],
  },
  { name: 'the guide’s subscribe event, secret as a query parameter', now, secrets: { secret: URL_SECRET }, verifies: true, request: guideRequest(`?secret=${URL_SECRET}`) },
  { name: 'the guide’s subscribe event with another secret', now, secrets: { secret: URL_SECRET }, verifies: 'signature', request: guideRequest('/guessed') },
  { name: 'the guide’s subscribe event without a secret', now, secrets: { secret: URL_SECRET }, verifies: 'missing-signature', request: guideRequest('') },
];

export const mailchimpSubject: ContractSubject = {
  system: 'mailchimp',
  async start() {
    const emulator = await startMailchimpEmulator({ seed: 'contract' });
    const listId = emulator.credentials.listId;
    const make = (apiKey: string) =>
      createMailchimpConnector({ system: asSystemId('mailchimp'), baseUrl: `${emulator.url}/3.0`, credentials: { api_key: apiKey }, emulator: true });
    const connector = make(emulator.credentials.apiKey);
    const badConnector = make(`00000000000000000000000000000000-${emulator.credentials.dc}`);
    return {
      connector, badConnector,
      ctx: contextFor(connector, { list_id: listId }), badCtx: contextFor(badConnector, { list_id: listId }),
      emulatorUrl: emulator.url,
      object: 'members',
      matchField: 'email_address',
      pageSize: mailchimpFacts.pagination.maxPageSize,
      seedRecord: (email, name) => ({ email_address: email, merge_fields: { FNAME: name } }),
      userEdit: (name) => ({ merge_fields: { FNAME: name } }),
      nameOf: (r: RemoteRecord) => (r.fields.merge_fields as Record<string, unknown> | undefined)?.FNAME,
      createFields: (email, name) => ({ email_address: email, status: 'subscribed', 'merge_fields.FNAME': name }),
      updateFields: (name) => ({ 'merge_fields.FNAME': name }),
      invalidCreateFields: () => ({ email_address: 'not-an-email-address', status: 'subscribed' }),
      absentId: asRemoteId(md5('nobody-ever@example.com')),
      webhookPath: `/${URL_SECRET}`,
      webhookModes: [{ name: 'URL secret', emulatorSettings: {}, secrets: { secret: URL_SECRET } }],
      async triggerHandshake(deliveryUrl) {
        // The real API call: Mailchimp checks the URL with a GET before it registers the webhook.
        const res = await fetch(`${emulator.url}/3.0/lists/${listId}/webhooks`, {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from(`any:${emulator.credentials.apiKey}`).toString('base64')}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url: deliveryUrl, events: { subscribe: true, profile: true }, sources: { user: true, admin: true, api: false } }),
        });
        if (res.status !== 200) throw new Error(`webhook registration answered ${res.status}: ${await res.text()}`);
      },
      publishedExamples: published,
      close: () => emulator.close(),
    };
  },
};
