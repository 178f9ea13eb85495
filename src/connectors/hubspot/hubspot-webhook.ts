import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ConcordError } from '../../shared/errors/index.js';
import { asRemoteId } from '../../shared/ids.js';
import { headerValue } from '../http/classify-response.js';
import type { ChangeHint, Verification, WebhookHandler, WebhookRequest, WebhookSecrets } from '../contract.js';
import { hubspotFacts } from './hubspot-objects.js';

const H = hubspotFacts.webhook.headers;
const TOLERANCE_MS = hubspotFacts.webhook.toleranceMs ?? 300_000;

/** v1: hex SHA-256(secret + body). https://developers.hubspot.com/docs/faq/v1-request-validation */
export function signV1(secret: string, body: Buffer | string): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(secret, 'utf8'), Buffer.from(body)])).digest('hex');
}

/** v2: hex SHA-256(secret + method + uri + body). https://developers.hubspot.com/docs/faq/v2-request-validation */
export function signV2(secret: string, method: string, uri: string, body: Buffer | string): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(secret + method + uri, 'utf8'), Buffer.from(body)])).digest('hex');
}

/** v3: base64 HMAC-SHA256(secret, method + uri + body + timestamp). */
export function signV3(secret: string, method: string, uri: string, body: Buffer | string, timestamp: string): string {
  return createHmac('sha256', secret).update(method + uri, 'utf8').update(body).update(timestamp, 'utf8').digest('base64');
}

/**
 * The escapes HubSpot's validation page says to decode in the URI before hashing v3. The official Node
 * SDK hashes the URL as given; both forms are tried (PROVIDERS.md: the table is uncertain).
 */
const V3_DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};
export function decodeV3Uri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => V3_DECODED[m.toUpperCase()] ?? m);
}

function equalConstantTime(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies v3 when its headers are present, else v1/v2 by `X-HubSpot-Signature-Version`. v1 and v2 carry
 * no timestamp, so a captured request can be replayed until its event id leaves the dedup window; a
 * system can refuse them with the secret `allowedVersions: v3` (default: v1,v2,v3).
 */
export function verifyHubspot(req: WebhookRequest, secrets: WebhookSecrets, now: Date): Verification {
  const allowed = (secrets.allowedVersions ?? 'v1,v2,v3').toLowerCase().split(',').map((v) => v.trim());
  const v3 = headerValue(req.headers, H.signatureV3 ?? 'X-HubSpot-Signature-v3');
  if (v3 !== undefined && allowed.includes('v3')) {
    const ts = headerValue(req.headers, H.timestamp ?? 'X-HubSpot-Request-Timestamp');
    if (ts === undefined || !/^\d+$/.test(ts)) {
      return { ok: false, reason: 'timestamp', message: `expected an epoch-millisecond ${H.timestamp} header, found ${ts === undefined ? 'none' : `"${ts}"`}` };
    }
    const age = now.getTime() - Number(ts);
    if (Math.abs(age) > TOLERANCE_MS) {
      return { ok: false, reason: 'timestamp', message: `expected a timestamp within ${TOLERANCE_MS} ms of now, found ${age} ms off` };
    }
    // Some proxies turn '+' in header values into spaces; base64 has no spaces, so restore them.
    const given = v3.trim().replace(/ /g, '+');
    const ok = [req.url, decodeV3Uri(req.url)].some((uri) => equalConstantTime(signV3(secrets.secret, req.method.toUpperCase(), uri, req.rawBody, ts), given));
    return ok ? { ok: true } : { ok: false, reason: 'signature', message: 'expected a v3 signature matching the client secret, found a mismatch' };
  }
  const sig = headerValue(req.headers, H.signature ?? 'X-HubSpot-Signature');
  if (sig === undefined) return { ok: false, reason: 'missing-signature', message: `expected ${H.signatureV3} or ${H.signature}, found neither` };
  const version = (headerValue(req.headers, H.version ?? 'X-HubSpot-Signature-Version') ?? 'v1').toLowerCase();
  let expected: string;
  if (version === 'v1') expected = signV1(secrets.secret, req.rawBody);
  else if (version === 'v2') expected = signV2(secrets.secret, req.method.toUpperCase(), req.url, req.rawBody);
  else return { ok: false, reason: 'malformed', message: `expected signature version v1 or v2, found "${version}"` };
  if (!allowed.includes(version)) {
    return { ok: false, reason: 'missing-signature', message: `expected a signature of version ${allowed.join(' or ')}, found only ${version}` };
  }
  // v1/v2 carry no timestamp: replay protection relies on event-id dedup in the inbox.
  return equalConstantTime(expected, sig.trim().toLowerCase()) ? { ok: true }
    : { ok: false, reason: 'signature', message: `expected a ${version} signature matching the client secret, found a mismatch` };
}

const eventSchema = z.object({
  eventId: z.union([z.number(), z.string()]),
  subscriptionId: z.union([z.number(), z.string()]).optional(),
  portalId: z.union([z.number(), z.string()]).optional(),
  occurredAt: z.union([z.number(), z.string()]),
  subscriptionType: z.string(),
  attemptNumber: z.number().optional(),
  objectId: z.union([z.number(), z.string()]),
  propertyName: z.string().optional(),
  propertyValue: z.string().nullable().optional(),
  changeSource: z.string().optional(),
  mergedObjectIds: z.array(z.union([z.number(), z.string()])).optional(),
  primaryObjectId: z.union([z.number(), z.string()]).optional(),
}).loose();
// Built once: zod schemas are costly to construct, and parse runs on every webhook request.
const eventsSchema = z.array(eventSchema);

/** Event-type prefix -> object. Events for other objects (deals, tickets) are not ours and are dropped. */
const OBJECT_OF: Record<string, string> = { contact: 'contacts', company: 'companies' };

export function parseHubspot(req: WebhookRequest): ChangeHint[] {
  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED', 'system hubspot webhook: expected a JSON array of events, found a body that is not JSON');
  }
  const parsed = eventsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConcordError('CONCORD_ERR_CONNECTOR_WEBHOOK_MALFORMED',
      `system hubspot webhook: expected an array of events, found a mismatch at "${issue?.path.join('.')}": ${issue?.message}`);
  }
  const hints: ChangeHint[] = [];
  for (const e of parsed.data) {
    const [prefix, action = ''] = e.subscriptionType.split('.');
    const object = OBJECT_OF[prefix ?? ''];
    if (!object) continue;
    const occurredAt = new Date(typeof e.occurredAt === 'number' ? e.occurredAt : Number(e.occurredAt)).toISOString();
    // eventId is unique per portal, so the portal is part of the dedup key.
    const eventId = `${e.portalId ?? ''}:${e.eventId}`;
    const eventType = e.subscriptionType;
    const deleted = action === 'deletion' || action === 'privacyDeletion';
    // Object literals, not spreads of a shared base: a batch of 100 events spent most of its parse in spreads.
    const hint: ChangeHint = { object, id: asRemoteId(String(e.objectId)), eventId, occurredAt, kind: deleted ? 'delete' : 'upsert', eventType };
    if (e.propertyName !== undefined) hint.fields = { [e.propertyName]: e.propertyValue ?? null };
    hints.push(hint);
    if (action === 'merge') {
      for (const merged of e.mergedObjectIds ?? []) {
        if (String(merged) !== String(e.primaryObjectId ?? e.objectId)) {
          hints.push({ object, id: asRemoteId(String(merged)), eventId: `${eventId}:${merged}`, occurredAt, kind: 'delete', eventType });
        }
      }
    }
  }
  return hints;
}

export const hubspotWebhook: WebhookHandler = { verify: verifyHubspot, parse: parseHubspot };
