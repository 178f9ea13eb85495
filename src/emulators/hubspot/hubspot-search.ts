import { z } from 'zod';
import type { HubSpotObjectType } from './hubspot-objects.js';
import type { HubSpotRecord } from './hubspot-store.js';

/**
 * The CRM search body and its evaluation.
 * Limits: 5 filterGroups, 10 filters per group, 25 filters in all (changelog of 26 Aug 2024:
 * https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api);
 * `limit` at most 200; one query pages through at most 10,000 results, and asking for a page beyond that
 * is a 400 (the search guide's limitations section; PROVIDERS.md §1.4).
 */
export const SEARCH_MAX_LIMIT = 200;
export const SEARCH_MAX_GROUPS = 5;
export const SEARCH_MAX_FILTERS_PER_GROUP = 10;
export const SEARCH_MAX_FILTERS = 25;

const operators = [
  'EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum(operators),
  value: scalar.optional(),
  highValue: scalar.optional(),
  values: z.array(scalar).optional(),
});
export const searchBodySchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z.array(z.union([
    z.object({ propertyName: z.string().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
    z.string().min(1).transform((s) => ({ propertyName: s.replace(/^-/, ''), direction: s.startsWith('-') ? 'DESCENDING' as const : 'ASCENDING' as const })),
  ])).default([]),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(1).default(10),
  after: z.union([z.string(), z.number()]).transform(String).optional(),
});
export type SearchBody = z.output<typeof searchBodySchema>;
type Filter = z.output<typeof filterSchema>;

/** Problems with the body beyond its shape, in HubSpot's words where known. */
export function validateSearch(body: SearchBody): string[] {
  const problems: string[] = [];
  const groups = body.filterGroups;
  const total = groups.reduce((n, g) => n + g.filters.length, 0);
  if (groups.length > SEARCH_MAX_GROUPS) problems.push(`Too many filter groups (${groups.length}); the maximum is ${SEARCH_MAX_GROUPS}.`);
  groups.forEach((g, i) => {
    if (g.filters.length > SEARCH_MAX_FILTERS_PER_GROUP) {
      problems.push(`Too many filters in filter group ${i} (${g.filters.length}); the maximum is ${SEARCH_MAX_FILTERS_PER_GROUP}.`);
    }
  });
  if (total > SEARCH_MAX_FILTERS) problems.push(`Too many filters (${total}); the maximum is ${SEARCH_MAX_FILTERS}.`);
  if (body.limit > SEARCH_MAX_LIMIT) problems.push(`limit must be less than or equal to ${SEARCH_MAX_LIMIT}, found ${body.limit}.`);
  for (const g of groups) {
    for (const f of g.filters) {
      if (f.operator === 'BETWEEN' && (f.value === undefined || f.highValue === undefined)) problems.push(`BETWEEN on ${f.propertyName} needs value and highValue.`);
      if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !f.values) problems.push(`${f.operator} on ${f.propertyName} needs values.`);
    }
  }
  return problems;
}

/** Numbers compare as numbers; ISO dates and epoch milliseconds compare as instants; the rest as lower-case text. */
function comparable(v: string): number | string {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  return v.toLowerCase();
}

function compare(a: string, b: string): number {
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  // Code-unit order, so results never depend on the machine's locale.
  const a2 = String(x);
  const b2 = String(y);
  return a2 < b2 ? -1 : a2 > b2 ? 1 : 0;
}

function matches(record: HubSpotRecord, f: Filter): boolean {
  const v = f.propertyName === 'hs_object_id' ? record.id : record.properties[f.propertyName];
  switch (f.operator) {
    case 'HAS_PROPERTY': return v !== undefined;
    case 'NOT_HAS_PROPERTY': return v === undefined;
    case 'NEQ': return v === undefined || compare(v, f.value ?? '') !== 0;
    case 'NOT_IN': return v === undefined || !(f.values ?? []).some((x) => compare(v, x) === 0);
    case 'NOT_CONTAINS_TOKEN': return v === undefined || !tokenMatch(v, f.value ?? '');
    default: break;
  }
  if (v === undefined) return false;
  switch (f.operator) {
    case 'EQ': return compare(v, f.value ?? '') === 0;
    case 'LT': return compare(v, f.value ?? '') < 0;
    case 'LTE': return compare(v, f.value ?? '') <= 0;
    case 'GT': return compare(v, f.value ?? '') > 0;
    case 'GTE': return compare(v, f.value ?? '') >= 0;
    case 'BETWEEN': return compare(v, f.value ?? '') >= 0 && compare(v, f.highValue ?? '') <= 0;
    case 'IN': return (f.values ?? []).some((x) => compare(v, x) === 0);
    case 'CONTAINS_TOKEN': return tokenMatch(v, f.value ?? '');
    default: return false;
  }
}

/** CONTAINS_TOKEN takes `*` as a wildcard; otherwise a whole word must match. */
function tokenMatch(value: string, token: string): boolean {
  const pattern = new RegExp(`^${token.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return value.toLowerCase().split(/[\s@.,;_-]+/).concat(value.toLowerCase()).some((w) => pattern.test(w));
}

/** Matching live records, sorted: the body's first sort, then id; without sorts, by id. */
export function runSearch(type: HubSpotObjectType, records: HubSpotRecord[], body: SearchBody): HubSpotRecord[] {
  const groups = body.filterGroups.filter((g) => g.filters.length > 0);
  const q = body.query?.trim().toLowerCase();
  const hits = records.filter((r) => {
    if (groups.length > 0 && !groups.some((g) => g.filters.every((f) => matches(r, f)))) return false;
    if (q) return type.searchable.some((p) => (r.properties[p] ?? '').toLowerCase().includes(q));
    return true;
  });
  const sort = body.sorts[0];
  return hits.sort((a, b) => {
    if (sort) {
      const av = sort.propertyName === 'hs_object_id' ? a.id : a.properties[sort.propertyName];
      const bv = sort.propertyName === 'hs_object_id' ? b.id : b.properties[sort.propertyName];
      // Records without the property sort last in either direction.
      if (av === undefined && bv !== undefined) return 1;
      if (bv === undefined && av !== undefined) return -1;
      if (av !== undefined && bv !== undefined) {
        const c = compare(av, bv);
        if (c !== 0) return sort.direction === 'DESCENDING' ? -c : c;
      }
    }
    return Number(a.id) - Number(b.id);
  });
}
