import type { EmulatorClock } from '../emulator-clock.js';
import type { EmulatorRequest, EmulatorResponse } from '../emulator-routes.js';
import type { SeededRandom } from '../seeded-random.js';
import { hubspotError, type HubSpotErrorDetail } from './hubspot-errors.js';
import { findObjectType, type HubSpotObjectType } from './hubspot-objects.js';
import type { HubSpotStore, HubSpotRecord, RecordChange } from './hubspot-store.js';

/** What the CRM route handlers share. */
export interface HubSpotContext {
  types: HubSpotObjectType[];
  store: HubSpotStore;
  clock: EmulatorClock;
  random: SeededRandom;
  /** Results one search query can page through. Default is 10,000, as HubSpot. */
  searchWindow: number;
  publish(change: RecordChange): void;
}

/** Both path forms: classic `/crm/v3/objects/{type}` and date-based `/crm/objects/{yyyy-mm}/{type}`. */
export function objectPaths(suffix = ''): string[] {
  return [`/crm/v3/objects/:objectType${suffix}`, `/crm/objects/:version/:objectType${suffix}`];
}

export function resolveType(ctx: HubSpotContext, req: EmulatorRequest): { type: HubSpotObjectType } | { response: EmulatorResponse } {
  const name = req.params.objectType ?? '';
  const type = findObjectType(ctx.types, name);
  if (!type) return { response: hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `Unable to infer object type from: ${name}`) };
  return { type };
}

/** A write's failure: the status HubSpot answers with, its category and message. */
export interface WriteProblem {
  status: number;
  category: string;
  message: string;
  errors?: HubSpotErrorDetail[];
  context?: Record<string, unknown>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks property values on write. Unknown and read-only properties are errors
 * (https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/contacts/batch/update-contacts.md);
 * a contact's email must be unique: a second one is a 409 naming the existing id (PROVIDERS.md §1.6).
 * With `asUser` (the admin API: a person acting in HubSpot's UI or a form), consent-owned properties such as
 * `hs_email_optout` may be set as well.
 */
export function checkProperties(
  ctx: HubSpotContext,
  type: HubSpotObjectType,
  input: unknown,
  self?: HubSpotRecord,
  options: { asUser?: boolean } = {},
): { ok: true; properties: Record<string, string> } | { ok: false; problem: WriteProblem } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problem: { status: 400, category: 'VALIDATION_ERROR', message: 'properties must be an object of property names to values' } };
  }
  const properties: Record<string, string> = {};
  const invalid: Array<{ name: string; message: string; error: string }> = [];
  for (const [name, raw] of Object.entries(input)) {
    const userSettable = options.asUser === true && type.consentOwned.has(name);
    if (type.readOnly.has(name) && !userSettable) { invalid.push({ name, message: `${name} is a read only property; its value cannot be set.`, error: 'READ_ONLY_VALUE' }); continue; }
    if (!type.writable.has(name) && !userSettable) { invalid.push({ name, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST' }); continue; }
    if (raw !== null && typeof raw === 'object') { invalid.push({ name, message: `${name} must be a string, number or boolean`, error: 'INVALID_OPTION' }); continue; }
    const value = raw === null || raw === undefined ? '' : String(raw);
    if (name === 'email' && value !== '' && !EMAIL.test(value)) { invalid.push({ name, message: `Email address ${value} is invalid`, error: 'INVALID_EMAIL' }); continue; }
    properties[name] = value;
  }
  if (invalid.length > 0) {
    return {
      ok: false,
      problem: {
        status: 400,
        category: 'VALIDATION_ERROR',
        message: `Property values were not valid: ${JSON.stringify(invalid.map((i) => ({ isValid: false, message: i.message, error: i.error, name: i.name })))}`,
        errors: invalid.map((i) => ({ message: i.message, code: i.error, context: { propertyName: [i.name] } })),
      },
    };
  }
  const email = properties.email;
  if (type.name === 'contacts' && email) {
    const existing = ctx.store.findBy(type, 'email', email);
    if (existing && existing !== self) {
      return { ok: false, problem: { status: 409, category: 'CONFLICT', message: `Contact already exists. Existing ID: ${existing.id}` } };
    }
  }
  return { ok: true, properties };
}

export function problemResponse(ctx: HubSpotContext, p: WriteProblem): EmulatorResponse {
  return hubspotError(ctx.random, p.status, p.category, p.message, {
    ...(p.errors ? { errors: p.errors } : {}), ...(p.context ? { context: p.context } : {}),
  });
}

export function csv(value: string | null): string[] | undefined {
  if (value === null || value.trim() === '') return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
