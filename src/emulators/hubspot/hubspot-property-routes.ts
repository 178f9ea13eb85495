import { z } from 'zod';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-routes.js';
import { hubspotError } from './hubspot-errors.js';
import type { HubSpotContext } from './hubspot-context.js';
import { findObjectType, type HubSpotObjectType } from './hubspot-objects.js';

/**
 * GET /crm/v3/properties/{objectType} and POST /crm/v3/properties/{objectType} (create a custom property),
 * so a client can discover properties and add its own (e.g. a multi-checkbox for tags) as on a real account.
 * https://developers.hubspot.com/docs/api-reference/latest/crm/properties/guide
 * Types are reported coarsely (string/text, datetime, bool); only names, read-only flags and uniqueness
 * drive the emulator's behaviour.
 */
const createSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscores, starting with a letter'),
  label: z.string().min(1),
  type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool']),
  fieldType: z.string().min(1),
  groupName: z.string().min(1),
  hasUniqueValue: z.boolean().optional(),
  options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
});

const DATES = new Set(['createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);

function describeProperty(type: HubSpotObjectType, name: string, custom: Map<string, z.output<typeof createSchema>>) {
  const c = custom.get(name);
  if (c) return { ...c, options: c.options ?? [], hidden: false, formField: true, modificationMetadata: { readOnlyValue: false, archivable: true, readOnlyDefinition: false } };
  const kind = DATES.has(name) ? { type: 'datetime', fieldType: 'date' } : name === 'hs_email_optout' ? { type: 'bool', fieldType: 'booleancheckbox' } : { type: 'string', fieldType: 'text' };
  return {
    name, label: name, ...kind, groupName: `${type.name.replace(/s$/, '')}information`, options: [], hidden: false,
    hasUniqueValue: type.unique.has(name), formField: !type.readOnly.has(name),
    modificationMetadata: { readOnlyValue: type.readOnly.has(name), archivable: false, readOnlyDefinition: true },
  };
}

export function propertyRoutes(ctx: HubSpotContext): { routes: Route[]; reset(): void } {
  const custom = new Map<string, Map<string, z.output<typeof createSchema>>>();
  const customOf = (t: HubSpotObjectType) => custom.get(t.name) ?? custom.set(t.name, new Map()).get(t.name)!;
  const typeOf = (req: EmulatorRequest): HubSpotObjectType | EmulatorResponse =>
    findObjectType(ctx.types, req.params.objectType ?? '') ?? hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `Unable to infer object type from: ${req.params.objectType}`);
  const patterns = ['/crm/v3/properties/:objectType', '/crm/properties/:version/:objectType'];
  return {
    reset() {
      for (const [typeName, props] of custom) {
        const t = findObjectType(ctx.types, typeName);
        for (const name of props.keys()) { t?.writable.delete(name); t?.unique.delete(name); }
      }
      custom.clear();
    },
    routes: [
      { method: 'GET', patterns, handler: (req) => {
        const t = typeOf(req);
        if ('status' in t) return t;
        const names = [...new Set([...t.writable, ...t.readOnly])].sort();
        return json(200, { results: names.map((n) => describeProperty(t, n, customOf(t))) });
      } },
      { method: 'POST', patterns, handler: (req) => {
        const t = typeOf(req);
        if ('status' in t) return t;
        const parsed = createSchema.safeParse(req.body ?? {});
        if (!parsed.success) return hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `Invalid input: ${z.prettifyError(parsed.error)}`);
        const p = parsed.data;
        if (t.writable.has(p.name) || t.readOnly.has(p.name)) {
          return hubspotError(ctx.random, 409, 'OBJECT_ALREADY_EXISTS', `A property named '${p.name}' already exists.`);
        }
        customOf(t).set(p.name, p);
        t.writable.add(p.name);
        if (p.hasUniqueValue) t.unique.add(p.name);
        return json(201, describeProperty(t, p.name, customOf(t)));
      } },
    ],
  };
}
