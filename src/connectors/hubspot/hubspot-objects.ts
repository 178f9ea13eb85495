import { z } from 'zod';
import { asRemoteId } from '../../shared/ids.js';
import { loadConnectorFacts, type ConnectorFacts } from '../connector-facts.js';
import { objectFacts } from '../object-paths.js';
import type { RemoteRecord } from '../contract.js';

export const hubspotFacts: ConnectorFacts = loadConnectorFacts(new URL('./hubspot.connector.yaml', import.meta.url));

/** HubSpot answers with more fields over time, so response schemas are open (`loose`); what we use is checked. */
const historyEntrySchema = z.object({ value: z.string().nullable().optional(), timestamp: z.string() }).loose();

export const hubspotRecordSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  propertiesWithHistory: z.record(z.string(), z.array(historyEntrySchema)).optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string(),
  archived: z.boolean().optional(),
  archivedAt: z.string().optional(),
  objectWriteTraceId: z.string().optional(),
}).loose();
export type HubspotRecord = z.infer<typeof hubspotRecordSchema>;

export const searchResponseSchema = z.object({
  total: z.number().optional(),
  results: z.array(hubspotRecordSchema),
  paging: z.object({ next: z.object({ after: z.string() }).loose().optional() }).loose().optional(),
}).loose();

export const batchErrorSchema = z.object({
  status: z.string().optional(),
  category: z.string().optional(),
  message: z.string().optional(),
  /** e.g. `{ ids: ["123"] }` for a missing id, `{ objectWriteTraceId: ["t-1"] }` for a traced input. */
  context: z.record(z.string(), z.array(z.string())).optional(),
  objectWriteTraceId: z.string().optional(),
}).loose();
export type HubspotBatchError = z.infer<typeof batchErrorSchema>;

export const batchResponseSchema = z.object({
  status: z.string().optional(),
  results: z.array(hubspotRecordSchema).default([]),
  errors: z.array(batchErrorSchema).default([]),
  numErrors: z.number().optional(),
}).loose();

/** Properties to ask for: HubSpot returns only a few defaults otherwise. */
export function propertiesOf(object: string): string[] {
  const o = objectFacts(hubspotFacts, object);
  return [...new Set([...Object.keys(o.fields).filter((f) => !f.includes('.')), o.modifiedField])];
}

/**
 * Date values come as ISO strings on the envelope and as ISO or epoch-millisecond strings in
 * properties (both seen in HubSpot's material); both are read. Null when neither.
 */
export function parseHubspotTime(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

export function modifiedMs(record: HubspotRecord, object: string): number {
  const mod = objectFacts(hubspotFacts, object).modifiedField;
  return parseHubspotTime(record.properties[mod]) ?? parseHubspotTime(record.updatedAt) ?? 0;
}

/**
 * HubSpot's "opted out of all email" contact property. The CRM objects API refuses writes to it
 * ("... is a read only property; its value cannot be set",
 * https://integrate.hubspot.com/t/batch-update-email-information-via-api/15722); opting out goes through the
 * communication preferences API instead (hubspot-consent.ts), and an integration cannot undo an opt-out.
 */
export const OPT_OUT_FIELD = 'hs_email_optout';

/**
 * Multiple-checkbox values come as one string of options joined by ";"
 * (https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/objects/batch/create-objects); fields the
 * facts declare as lists are read as arrays, so they compare as sets with the other side's lists.
 */
function readProperties(properties: Record<string, string | null>, object: string): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...properties };
  for (const [name, spec] of Object.entries(objectFacts(hubspotFacts, object).fields)) {
    if (spec.type !== 'list' || !(name in properties)) continue;
    const v = properties[name];
    fields[name] = v === null || v === '' || v === undefined ? [] : v.split(';').map((x) => x.trim()).filter((x) => x !== '');
  }
  // A contact who never opted out has the opt-out property blank: read as "false", so it compares equal to the
  // other side's "subscribed" and to what a write of false (which changes nothing at HubSpot) leaves behind.
  if (object === 'contacts' && OPT_OUT_FIELD in properties && !properties[OPT_OUT_FIELD]) fields[OPT_OUT_FIELD] = 'false';
  return fields;
}

export function toRemoteRecord(record: HubspotRecord, object: string): RemoteRecord {
  const modifiedAt = new Date(modifiedMs(record, object)).toISOString();
  const out: RemoteRecord = { id: asRemoteId(record.id), version: modifiedAt, modifiedAt, fields: readProperties(record.properties, object) };
  if (record.propertiesWithHistory) {
    const times: Record<string, string> = {};
    for (const [name, history] of Object.entries(record.propertiesWithHistory)) {
      // Newest entry first in HubSpot's answer; take the latest time whatever the order.
      const latest = Math.max(...history.map((h) => parseHubspotTime(h.timestamp) ?? 0));
      if (latest > 0) times[name] = new Date(latest).toISOString();
    }
    out.fieldTimes = times;
  }
  if (record.archived) out.deleted = true;
  return out;
}

/** HubSpot property values are strings; an empty string clears a value. */
export function toHubspotProperties(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined) out[k] = '';
    else if (Array.isArray(v)) out[k] = v.join(';');
    else out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}
