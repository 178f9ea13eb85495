import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConcordError } from '../../shared/errors/index.js';
import { asRemoteId, type RemoteId } from '../../shared/ids.js';
import { loadConnectorFacts, type ConnectorFacts } from '../connector-facts.js';
import type { ConnectorSettings, RemoteRecord } from '../contract.js';

export const mailchimpFacts: ConnectorFacts = loadConnectorFacts(new URL('./mailchimp.connector.yaml', import.meta.url));

/** subscriber_hash: MD5 of the lowercased email, which is also the member id. */
export function subscriberHash(email: string): RemoteId {
  return asRemoteId(createHash('md5').update(email.trim().toLowerCase(), 'utf8').digest('hex'));
}

/**
 * The API host: a configured base URL (an emulator) wins; otherwise `{dc}` comes from `credentials.dc` or
 * from the API key's suffix after its last "-" (`…-us21` -> `https://us21.api.mailchimp.com/3.0`).
 */
export function mailchimpBaseUrl(settings: ConnectorSettings): string {
  if (settings.baseUrl) return settings.baseUrl;
  const fromKey = /-([a-z]+\d+)$/i.exec(settings.credentials.api_key ?? '')?.[1];
  const dc = settings.credentials.dc ?? fromKey;
  if (!dc) {
    throw new ConcordError('CONCORD_ERR_CONNECTOR_CREDENTIALS_MISSING',
      `system ${settings.system}: expected an API key ending in its data centre (key-us21) or a "dc" credential, found neither`);
  }
  return mailchimpFacts.baseUrl.replace('{dc}', encodeURIComponent(dc.toLowerCase()));
}

const tagSchema = z.object({ id: z.number().optional(), name: z.string() }).loose();

/** Mailchimp adds fields over time, so response schemas are open; what we use is checked. */
export const memberSchema = z.object({
  id: z.string(),
  email_address: z.string(),
  unique_email_id: z.string().optional(),
  status: z.string(),
  merge_fields: z.record(z.string(), z.unknown()).default({}),
  tags: z.array(tagSchema).default([]),
  language: z.string().optional(),
  vip: z.boolean().optional(),
  email_type: z.string().optional(),
  timestamp_signup: z.string().optional(),
  last_changed: z.string().optional(),
}).loose();
export type Member = z.infer<typeof memberSchema>;

export const memberListSchema = z.object({
  members: z.array(memberSchema),
  total_items: z.number().optional(),
}).loose();

export const batchSubscribeResponseSchema = z.object({
  new_members: z.array(memberSchema).default([]),
  updated_members: z.array(memberSchema).default([]),
  errors: z.array(z.object({ email_address: z.string().optional(), error: z.string().optional(), error_code: z.string().optional() }).loose()).default([]),
  total_created: z.number().optional(),
  total_updated: z.number().optional(),
  error_count: z.number().optional(),
}).loose();

/** Mailchimp times look like `2015-09-15T14:40:47+00:00`; an empty or missing time reads as the epoch. */
export function toIso(value: string | undefined): string {
  const t = value ? Date.parse(value) : NaN;
  return new Date(Number.isNaN(t) ? 0 : t).toISOString();
}

/** The time format the docs recommend for `since_last_changed`: seconds, explicit offset. */
export function toMailchimpTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * `last_changed` counts whole seconds (`2015-09-15T14:40:47+00:00`, https://mailchimp.com/developer/marketing/api/list-members/),
 * so two changes in one second would carry one version and the second would be taken for no change. The version
 * is that time plus a digest of the member's content, which differs whenever a synced value does.
 */
function memberVersion(m: Member, modifiedAt: string, fields: Record<string, unknown>): string {
  const merge = fields.merge_fields as Record<string, unknown>;
  const content = JSON.stringify([fields.email_address, fields.status, Object.keys(merge).sort().map((k) => [k, merge[k]]), fields.tags,
    fields.language ?? null, fields.vip ?? null, fields.email_type ?? null]);
  return `${m.last_changed ?? modifiedAt}#${createHash('sha256').update(content, 'utf8').digest('hex').slice(0, 16)}`;
}

export function toRemoteRecord(m: Member): RemoteRecord {
  const modifiedAt = toIso(m.last_changed || m.timestamp_signup);
  const fields: Record<string, unknown> = {
    email_address: m.email_address,
    status: m.status,
    merge_fields: { ...m.merge_fields },
    tags: m.tags.map((t) => t.name).sort(),
  };
  for (const k of ['language', 'vip', 'email_type', 'unique_email_id', 'timestamp_signup', 'last_changed'] as const) {
    if (m[k] !== undefined) fields[k] = m[k];
  }
  const out: RemoteRecord = { id: asRemoteId(m.id), version: memberVersion(m, modifiedAt, fields), modifiedAt, fields };
  // DELETE archives a member; the archived record stays readable.
  if (m.status === 'archived') out.deleted = true;
  return out;
}

/** Fields may come nested (`merge_fields: {FNAME}`) or as paths (`merge_fields.FNAME`); the API wants them nested. */
export function toMemberBody(fields: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'tags' || k === 'id' || k === 'last_changed' || k === 'unique_email_id') continue;
    const dot = k.indexOf('.');
    if (dot < 0) {
      body[k] = v && typeof v === 'object' && !Array.isArray(v) ? { ...(body[k] as object | undefined), ...v } : v;
      continue;
    }
    const head = k.slice(0, dot);
    const inner = (body[head] && typeof body[head] === 'object' ? body[head] : {}) as Record<string, unknown>;
    inner[k.slice(dot + 1)] = v ?? '';
    body[head] = inner;
  }
  return body;
}
