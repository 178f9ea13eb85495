import { createHash, timingSafeEqual } from 'node:crypto';
import { ConcordError } from '../../shared/errors/index.js';
import type { ChangeHint, Verification, WebhookHandler, WebhookRequest, WebhookSecrets } from '../contract.js';
import { subscriberHash } from './mailchimp-objects.js';

/**
 * Mailchimp webhooks are unsigned (https://mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks/):
 * the URL carries an unguessable secret, as its first path segment after /webhooks/mailchimp or as a
 * `secret` query parameter. Mailchimp checks a new webhook URL with a GET that must answer 200.
 */
function urlSecret(req: WebhookRequest): string | undefined {
  const url = new URL(req.path, 'http://local');
  const fromPath = url.pathname.split('/').filter((s) => s !== '')[0];
  return url.searchParams.get('secret') ?? (fromPath !== undefined ? decodeURIComponent(fromPath) : undefined);
}

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a, 'utf8').digest();
  const y = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(x, y);
}

/** `data[merges][FNAME]=x` -> `{ data: { merges: { FNAME: 'x' } } }`. */
export function parseFormBody(raw: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
    const parts = key.replace(/\]/g, '').split('[');
    let node = out;
    for (const [i, part] of parts.entries()) {
      if (part === '__proto__' || part === 'constructor' || part === 'prototype') break;
      if (i === parts.length - 1) node[part] = value;
      else {
        const next = node[part];
        node = (next && typeof next === 'object' ? next : (node[part] = Object.create(null))) as Record<string, unknown>;
      }
    }
  }
  return out;
}

export function verifyMailchimp(req: WebhookRequest, secrets: WebhookSecrets, _now: Date): Verification {
  const method = req.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return { ok: true, handshake: { status: 200, contentType: 'text/plain', body: '' } };
  if (method !== 'POST') return { ok: false, reason: 'malformed', message: `expected POST (or the GET check), found ${method}` };
  const given = urlSecret(req);
  if (given === undefined) return { ok: false, reason: 'missing-signature', message: 'expected a secret in the webhook URL path or ?secret=, found none' };
  if (!sameSecret(given, secrets.secret)) return { ok: false, reason: 'signature', message: 'expected the configured URL secret, found another value' };
  const form = parseFormBody(req.rawBody);
  if (typeof form.type !== 'string' || typeof form.fired_at !== 'string') {
    return { ok: false, reason: 'malformed', message: 'expected a form-encoded body with type and fired_at, found neither or only one' };
  }
  // No timestamp window: Mailchimp retries for 75 minutes and signs nothing; replays are dropped by event id.
  return { ok: true };
}

/** `fired_at` is `2009-03-26 21:35:57`, in UTC [U in PROVIDERS.md]; ISO input is read too. */
function firedAtIso(value: string): string {
  const t = Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  if (Number.isNaN(t)) throw new ConcordError('CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED', `system mailchimp webhook: expected fired_at as a date, found "${value}"`);
  return new Date(t).toISOString();
}

/**
 * Mailchimp sends no event id, and `fired_at` has whole seconds: two profile edits of one member within a
 * second share type, time and member id, and without more the second would be dropped as a replay until the
 * next poll. A digest of the raw body tells different payloads apart, while a redelivery (Mailchimp retries
 * the same request) has the same bytes and so the same id. 64 bits are ample among events that already
 * share type, second and member.
 */
function bodyDigest(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

const STATUS_OF: Record<string, string> = { subscribe: 'subscribed', unsubscribe: 'unsubscribed', cleaned: 'cleaned' };

export function parseMailchimp(req: WebhookRequest): ChangeHint[] {
  const form = parseFormBody(req.rawBody);
  const type = form.type;
  const firedAt = form.fired_at;
  const data = (form.data && typeof form.data === 'object' ? form.data : {}) as Record<string, unknown>;
  if (typeof type !== 'string' || typeof firedAt !== 'string') {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED', 'system mailchimp webhook: expected form fields type and fired_at, found none');
  }
  if (type === 'campaign') return [];
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const occurredAt = firedAtIso(firedAt);
  const eventId = `${type}:${firedAt}:${str('id') ?? ''}:${bodyDigest(req.rawBody)}`;
  const base = { object: 'members', occurredAt, eventType: type };
  if (type === 'upemail') {
    const oldEmail = str('old_email');
    const newEmail = str('new_email');
    if (!oldEmail || !newEmail) throw new ConcordError('CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED', 'system mailchimp webhook: expected data[old_email] and data[new_email] in upemail');
    return [
      { ...base, eventId: `${eventId}:new`, id: subscriberHash(newEmail), kind: 'upsert', fields: { email_address: newEmail, list_id: str('list_id') } },
      { ...base, eventId: `${eventId}:old`, id: subscriberHash(oldEmail), kind: 'delete' },
    ];
  }
  if (!(type in STATUS_OF) && type !== 'profile') return [];
  const email = str('email');
  if (!email) throw new ConcordError('CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED', `system mailchimp webhook: expected data[email] in a ${type} event, found none`);
  const fields: Record<string, unknown> = { email_address: email };
  if (STATUS_OF[type]) fields.status = STATUS_OF[type];
  if (data.merges && typeof data.merges === 'object') fields.merge_fields = { ...(data.merges as Record<string, unknown>) };
  if (str('list_id')) fields.list_id = str('list_id');
  // An unsubscribe with action=delete removed the member from the audience.
  const kind = type === 'unsubscribe' && str('action') === 'delete' ? 'delete' : 'upsert';
  return [{ ...base, eventId, id: subscriberHash(email), kind, fields }];
}

export const mailchimpWebhook: WebhookHandler = { verify: verifyMailchimp, parse: parseMailchimp };
