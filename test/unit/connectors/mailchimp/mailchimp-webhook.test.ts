import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mailchimpWebhook } from '../../../../src/connectors/mailchimp/mailchimp-webhook.js';
import { subscriberHash } from '../../../../src/connectors/mailchimp/mailchimp-objects.js';
import type { WebhookRequest } from '../../../../src/connectors/contract.js';

// The subscribe example from Mailchimp's webhook guide (PROVIDERS.md §5.7), form-encoded as delivered.
const SUBSCRIBE = 'type=subscribe&fired_at=2009-03-26%2021%3A35%3A57&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054' +
  '&data%5Bemail%5D=api%40mailchimp.com&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BEMAIL%5D=api%40mailchimp.com' +
  '&data%5Bmerges%5D%5BFNAME%5D=Mailchimp&data%5Bmerges%5D%5BLNAME%5D=API&data%5Bmerges%5D%5BINTERESTS%5D=Group1%2CGroup2' +
  '&data%5Bip_opt%5D=10.20.10.30&data%5Bip_signup%5D=10.20.10.30';
const now = new Date('2026-01-01T00:00:00Z');
const secrets = { secret: 'k3y-With-Entropy' };

function req(over: Partial<WebhookRequest> & { body?: string }): WebhookRequest {
  return { method: 'POST', path: '/k3y-With-Entropy', url: 'https://sync.example.com/webhooks/mailchimp/k3y-With-Entropy', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: Buffer.from(over.body ?? SUBSCRIBE), ...over };
}

describe('Mailchimp webhook verification', () => {
  it('answers the GET check made when the webhook is registered with a 200 handshake', () => {
    expect(mailchimpWebhook.verify(req({ method: 'GET', body: '' }), secrets, now)).toEqual({ ok: true, handshake: { status: 200, contentType: 'text/plain', body: '' } });
  });
  it('accepts the secret as the path segment or as ?secret=', () => {
    expect(mailchimpWebhook.verify(req({}), secrets, now)).toEqual({ ok: true });
    expect(mailchimpWebhook.verify(req({ path: '/?secret=k3y-With-Entropy' }), secrets, now)).toEqual({ ok: true });
  });
  it('refuses a wrong or missing secret, and a body without type and fired_at', () => {
    expect(mailchimpWebhook.verify(req({ path: '/k3y-with-entropy' }), secrets, now)).toMatchObject({ ok: false, reason: 'signature' });
    expect(mailchimpWebhook.verify(req({ path: '/' }), secrets, now)).toMatchObject({ ok: false, reason: 'missing-signature' });
    expect(mailchimpWebhook.verify(req({ body: 'data%5Bemail%5D=a%40b.c' }), secrets, now)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(mailchimpWebhook.verify(req({ method: 'PUT' }), secrets, now)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('Mailchimp webhook parsing', () => {
  it('reads the published subscribe example', () => {
    expect(mailchimpWebhook.parse(req({}))).toEqual([{
      object: 'members', id: subscriberHash('api@mailchimp.com'), eventId: 'subscribe:2009-03-26 21:35:57:8a25ff1d98:8eb8c5c225381971',
      occurredAt: '2009-03-26T21:35:57.000Z', kind: 'upsert', eventType: 'subscribe',
      fields: { email_address: 'api@mailchimp.com', status: 'subscribed', list_id: 'a6b5da1054',
        merge_fields: { EMAIL: 'api@mailchimp.com', FNAME: 'Mailchimp', LNAME: 'API', INTERESTS: 'Group1,Group2' } },
    }]);
  });
  it('reads unsubscribes, deletes, cleaned and email changes, and ignores campaign events', () => {
    const form = (o: Record<string, string>) => new URLSearchParams({ fired_at: '2026-01-01 10:00:00', 'data[id]': 'x1', 'data[list_id]': 'L', ...o }).toString();
    expect(mailchimpWebhook.parse(req({ body: form({ type: 'unsubscribe', 'data[email]': 'A@b.com', 'data[action]': 'unsub' }) }))[0])
      .toMatchObject({ kind: 'upsert', id: subscriberHash('a@b.com'), fields: { status: 'unsubscribed' } });
    expect(mailchimpWebhook.parse(req({ body: form({ type: 'unsubscribe', 'data[email]': 'a@b.com', 'data[action]': 'delete' }) }))[0]).toMatchObject({ kind: 'delete' });
    expect(mailchimpWebhook.parse(req({ body: form({ type: 'cleaned', 'data[email]': 'a@b.com', 'data[reason]': 'hard' }) }))[0]).toMatchObject({ fields: { status: 'cleaned' } });
    expect(mailchimpWebhook.parse(req({ body: form({ type: 'upemail', 'data[old_email]': 'a@b.com', 'data[new_email]': 'c@d.com', 'data[new_id]': 'n' }) })).map((h) => [h.id, h.kind]))
      .toEqual([[subscriberHash('c@d.com'), 'upsert'], [subscriberHash('a@b.com'), 'delete']]);
    expect(mailchimpWebhook.parse(req({ body: form({ type: 'campaign', 'data[subject]': 's' }) }))).toEqual([]);
  });
  it('gives two different profile edits of one member in the same second different event ids, so neither is taken for a replay', () => {
    const profile = (fname: string) => new URLSearchParams({
      type: 'profile', fired_at: '2026-01-01 10:00:00', 'data[id]': 'x1', 'data[list_id]': 'L', 'data[email]': 'a@b.com', 'data[merges][FNAME]': fname,
    }).toString();
    const [first] = mailchimpWebhook.parse(req({ body: profile('Ann') }));
    const [second] = mailchimpWebhook.parse(req({ body: profile('Anna') }));
    expect(first!.id).toBe(second!.id);
    expect(first!.eventId).toMatch(/^profile:2026-01-01 10:00:00:x1:[0-9a-f]{16}$/);
    expect(second!.eventId).not.toBe(first!.eventId);
  });
  it('gives a redelivery (the same bytes again) the same event ids, so the inbox drops it', () => {
    const upemail = new URLSearchParams({ type: 'upemail', fired_at: '2026-01-01 10:00:00', 'data[list_id]': 'L', 'data[old_email]': 'a@b.com', 'data[new_email]': 'c@d.com' }).toString();
    for (const body of [SUBSCRIBE, upemail]) {
      const ids = mailchimpWebhook.parse(req({ body })).map((h) => h.eventId);
      expect(mailchimpWebhook.parse(req({ body: Buffer.from(body).toString() })).map((h) => h.eventId)).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
  it('event ids are equal exactly when the payloads are, among events of one member in one second', () => {
    const body = (merges: Record<string, string>) => new URLSearchParams({
      type: 'profile', fired_at: '2026-01-01 10:00:00', 'data[id]': 'x1', 'data[email]': 'a@b.com',
      ...Object.fromEntries(Object.entries(merges).map(([k, v]) => [`data[merges][${k}]`, v])),
    }).toString();
    const merges = fc.dictionary(fc.constantFrom('FNAME', 'LNAME', 'PHONE'), fc.string({ maxLength: 8 }));
    fc.assert(fc.property(merges, merges, (a, b) => {
      const [x, y] = [body(a), body(b)];
      const [hx] = mailchimpWebhook.parse(req({ body: x }));
      const [hy] = mailchimpWebhook.parse(req({ body: y }));
      expect(hx!.eventId === hy!.eventId).toBe(x === y);
    }));
  });
  it('throws the coded malformed error for events it cannot read, and ignores prototype keys', () => {
    for (const body of ['', 'type=subscribe&fired_at=2026-01-01%2000:00:00', 'type=subscribe&fired_at=yesterday&data%5Bemail%5D=a%40b.c']) {
      expect(() => mailchimpWebhook.parse(req({ body }))).toThrowError(expect.objectContaining({ code: 'CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED' }));
    }
    const hints = mailchimpWebhook.parse(req({ body: `${SUBSCRIBE}&data%5B__proto__%5D%5Bpolluted%5D=1` }));
    expect(hints).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
