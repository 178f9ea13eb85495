import { classifyResponse } from '../http/classify-response.js';
import { parseBodyAs, providerMessage, writeErrorKind } from '../http/response-checks.js';
import { chunk } from '../chunk.js';
import { objectPath } from '../object-paths.js';
import type { ConnectorContext, WriteResult } from '../contract.js';
import type { HttpResponse } from '../http/http-types.js';
import { OPT_OUT_FIELD, batchResponseSchema, hubspotFacts, type HubspotRecord } from './hubspot-objects.js';

export { OPT_OUT_FIELD };

/**
 * v4 "unsubscribe a contact from all subscriptions" by email address, channel EMAIL; scope
 * communication_preferences.write (or .read_write), every tier
 * (https://developers.hubspot.com/docs/api-reference/communication-preferences-subscriptions-v4/subscription-status/post-communication-preferences-v4-statuses-subscriberIdString-unsubscribe-all).
 * The batch form (`/statuses/batch/unsubscribe-all`) needs a Marketing Hub Enterprise scope, so one call per contact.
 */
export const UNSUBSCRIBE_ALL_PATH = '/communication-preferences/v4/statuses/{email}/unsubscribe-all';

export type ConsentIntent = { kind: 'opt-out' } | { kind: 'keep' } | { kind: 'invalid'; found: string };

/** What a written `hs_email_optout` value asks for: `true` opts out; `false` or empty leaves consent as it is. */
export function parseConsentIntent(value: unknown): ConsentIntent {
  if (value === true || value === 'true') return { kind: 'opt-out' };
  if (value === false || value === 'false' || value === null || value === undefined || value === '') return { kind: 'keep' };
  return { kind: 'invalid', found: JSON.stringify(value) };
}

export function isOptedOut(record: HubspotRecord | undefined): boolean {
  return record?.properties[OPT_OUT_FIELD] === 'true';
}

export function invalidConsentValue(ref: string, found: string): WriteResult {
  return { ref, ok: false, error: { kind: 'validation', message:
    `system hubspot, contacts.${OPT_OUT_FIELD}: expected true or false, found ${found}; true opts the contact out of all email` } };
}

export function undoOptOutRefused(ref: string, id: string): WriteResult {
  return { ref, ok: false, error: { kind: 'validation', message:
    `system hubspot, contact ${id}: expected ${OPT_OUT_FIELD} to stay true, found a write of false; HubSpot does not let an ` +
    'integration undo an opt-out of all email (only the contact can opt back in, e.g. through a HubSpot subscription ' +
    'preferences page or form); the other fields of this update were written. To stop this retrying, ask the contact ' +
    'to resubscribe, or map the field one way (hubspot -> other system) or leave it out of the mapping' } };
}

export function optOutNeedsEmail(ref: string, id: string): WriteResult {
  return { ref, ok: false, error: { kind: 'validation', message:
    `system hubspot, contact ${id}: expected an email address to opt out by, found none on the contact or in the write; ` +
    `HubSpot opts out by email address, so give the contact an email before writing ${OPT_OUT_FIELD} true` } };
}

export type UnsubscribeOutcome = { ok: true } | { ok: false; error: Extract<WriteResult, { ok: false }>['error'] };

/** Opts one email address out of all email. An address already opted out answers 2xx too (no status change). */
export async function unsubscribeAll(email: string, ctx: ConnectorContext): Promise<UnsubscribeOutcome> {
  const res = await ctx.http.request({
    method: 'POST', url: UNSUBSCRIBE_ALL_PATH.replace('{email}', encodeURIComponent(email)),
    query: { channel: 'EMAIL' }, priority: 0, signal: ctx.signal,
  });
  if (classifyResponse(res.status, res.headers) === 'ok') return { ok: true };
  const hint = res.status === 403 ? ' (the token needs the communication_preferences.write scope)' : '';
  return { ok: false, error: {
    kind: writeErrorKind(res), status: res.status,
    message: `system hubspot: POST ${UNSUBSCRIBE_ALL_PATH} for ${email}: HTTP ${res.status}: ${providerMessage(res)}${hint}`,
    ...(res.rateLimit?.retryAfterMs !== undefined ? { retryAfterMs: res.rateLimit.retryAfterMs } : {}),
  } };
}

/**
 * Current email and opt-out state of the contacts an update touches consent on: an opt-out needs the
 * email address, and a write of false is refused only when it would undo an opt-out. Missing ids are
 * absent from the map; a refused read is returned as the response, for the caller to fail those ops with.
 */
export async function readConsentState(ids: string[], ctx: ConnectorContext):
  Promise<{ ok: true; records: Map<string, HubspotRecord> } | { ok: false; res: HttpResponse }> {
  const records = new Map<string, HubspotRecord>();
  const where = 'system hubspot: POST contacts/batch/read (consent state)';
  const modified = hubspotFacts.objects.contacts?.modifiedField ?? 'lastmodifieddate';
  for (const part of chunk([...new Set(ids)], hubspotFacts.batch.read)) {
    const res = await ctx.http.request({
      method: 'POST', url: `${objectPath(hubspotFacts, 'contacts', ctx.params)}/batch/read`, query: { archived: false },
      json: { inputs: part.map((id) => ({ id })), properties: ['email', OPT_OUT_FIELD, modified] },
      priority: 0, signal: ctx.signal,
    });
    if (classifyResponse(res.status, res.headers) !== 'ok') return { ok: false, res };
    for (const r of parseBodyAs(batchResponseSchema, res, where).results) records.set(r.id, r);
  }
  return { ok: true, records };
}
