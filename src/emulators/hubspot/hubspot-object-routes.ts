import { z } from 'zod';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-routes.js';
import { hubspotError } from './hubspot-errors.js';
import { checkProperties, csv, objectPaths, problemResponse, resolveType, type HubSpotContext } from './hubspot-context.js';
import { runSearch, searchBodySchema, validateSearch } from './hubspot-search.js';
import { renderRecord } from './hubspot-store.js';

/**
 * Single-object routes and search:
 * GET  /crm/v3/objects/{type}          list, `limit` (max 100) + `after`, `archived`, `properties`, `propertiesWithHistory`
 * GET  /crm/v3/objects/{type}/{id}     one record (`idProperty` to look up by a unique property)
 * POST /crm/v3/objects/{type}          create one
 * PATCH /crm/v3/objects/{type}/{id}    update one
 * DELETE /crm/v3/objects/{type}/{id}   archive one (204)
 * POST /crm/v3/objects/{type}/search   filterGroups/sorts/query, `limit` max 200, `after`, 10,000-result window
 */
const LIST_MAX_LIMIT = 100;

export function objectRoutes(ctx: HubSpotContext): Route[] {
  return [
    { method: 'POST', patterns: objectPaths('/search'), handler: (r) => search(ctx, r) },
    { method: 'GET', patterns: objectPaths(), handler: (r) => list(ctx, r) },
    { method: 'POST', patterns: objectPaths(), handler: (r) => createOne(ctx, r) },
    { method: 'GET', patterns: objectPaths('/:id'), handler: (r) => getOne(ctx, r) },
    { method: 'PATCH', patterns: objectPaths('/:id'), handler: (r) => updateOne(ctx, r) },
    { method: 'DELETE', patterns: objectPaths('/:id'), handler: (r) => archiveOne(ctx, r) },
  ];
}

function list(ctx: HubSpotContext, req: EmulatorRequest): EmulatorResponse {
  const t = resolveType(ctx, req);
  if ('response' in t) return t.response;
  const limit = Math.min(Math.max(Number(req.query.get('limit') ?? 10) || 10, 1), LIST_MAX_LIMIT);
  const after = Number(req.query.get('after') ?? 0) || 0;
  const archived = req.query.get('archived') === 'true';
  const all = ctx.store.sorted(t.type, archived).filter((r) => Number(r.id) >= after);
  const page = all.slice(0, limit);
  const properties = csv(req.query.get('properties'));
  const history = csv(req.query.get('propertiesWithHistory')) ?? [];
  const body: Record<string, unknown> = { results: page.map((r) => renderRecord(t.type, r, properties, history)) };
  const last = page[page.length - 1];
  if (all.length > page.length && last) {
    const next = String(Number(last.id) + 1);
    const link = new URL(req.url.pathname, req.url);
    for (const [k, v] of req.query) if (k !== 'after') link.searchParams.set(k, v);
    link.searchParams.set('after', next);
    body.paging = { next: { after: next, link: link.toString() } };
  }
  return json(200, body);
}

function getOne(ctx: HubSpotContext, req: EmulatorRequest): EmulatorResponse {
  const t = resolveType(ctx, req);
  if ('response' in t) return t.response;
  const archived = req.query.get('archived') === 'true';
  const idProperty = req.query.get('idProperty') ?? 'hs_object_id';
  const record = ctx.store.findBy(t.type, idProperty, req.params.id ?? '', archived);
  if (!record) return hubspotError(ctx.random, 404, 'OBJECT_NOT_FOUND', 'resource not found');
  return json(200, renderRecord(t.type, record, csv(req.query.get('properties')), csv(req.query.get('propertiesWithHistory')) ?? []));
}

function createOne(ctx: HubSpotContext, req: EmulatorRequest): EmulatorResponse {
  const t = resolveType(ctx, req);
  if ('response' in t) return t.response;
  const body = req.body as { properties?: unknown } | undefined;
  const checked = checkProperties(ctx, t.type, body?.properties ?? {});
  if (!checked.ok) return problemResponse(ctx, checked.problem);
  const change = ctx.store.create(t.type, checked.properties, ctx.clock.now(), 'INTEGRATION');
  ctx.publish(change);
  return json(201, renderRecord(t.type, change.record, Object.keys(checked.properties)));
}

function updateOne(ctx: HubSpotContext, req: EmulatorRequest): EmulatorResponse {
  const t = resolveType(ctx, req);
  if ('response' in t) return t.response;
  const record = ctx.store.findBy(t.type, req.query.get('idProperty') ?? 'hs_object_id', req.params.id ?? '');
  if (!record) return hubspotError(ctx.random, 404, 'OBJECT_NOT_FOUND', 'resource not found');
  const body = req.body as { properties?: unknown } | undefined;
  const checked = checkProperties(ctx, t.type, body?.properties ?? {}, record);
  if (!checked.ok) return problemResponse(ctx, checked.problem);
  const change = ctx.store.update(t.type, record, checked.properties, ctx.clock.now(), 'INTEGRATION');
  ctx.publish(change);
  return json(200, renderRecord(t.type, record, Object.keys(checked.properties)));
}

function archiveOne(ctx: HubSpotContext, req: EmulatorRequest): EmulatorResponse {
  const t = resolveType(ctx, req);
  if ('response' in t) return t.response;
  const record = ctx.store.get(t.type, req.params.id ?? '');
  // Archiving something already gone is not an error: HubSpot answers 204 either way.
  if (record) ctx.publish(ctx.store.archive(t.type, record, ctx.clock.now(), 'INTEGRATION'));
  return { status: 204 };
}

function search(ctx: HubSpotContext, req: EmulatorRequest): EmulatorResponse {
  const t = resolveType(ctx, req);
  if ('response' in t) return t.response;
  if (req.bodyError) return hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `Invalid input JSON: ${req.bodyError}`);
  const parsed = searchBodySchema.safeParse(req.body ?? {});
  if (!parsed.success) return hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `Invalid input: ${z.prettifyError(parsed.error)}`);
  const body = parsed.data;
  const problems = validateSearch(body);
  if (problems.length > 0) {
    return hubspotError(ctx.random, 400, 'VALIDATION_ERROR', problems.join(' '), { errors: problems.map((message) => ({ message })) });
  }
  const offset = Number(body.after ?? 0);
  if (!Number.isInteger(offset) || offset < 0) return hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `after must be a non-negative integer, found ${body.after}`);
  if (offset >= ctx.searchWindow) {
    return hubspotError(ctx.random, 400, 'VALIDATION_ERROR',
      `Cannot page beyond the first ${ctx.searchWindow} results of a search (after=${offset}). Narrow the query, e.g. by a GTE filter on the last value seen.`);
  }
  const hits = runSearch(t.type, ctx.store.sorted(t.type, false), body);
  const end = Math.min(offset + body.limit, ctx.searchWindow, hits.length);
  const page = hits.slice(offset, end);
  const out: Record<string, unknown> = {
    total: hits.length,
    results: page.map((r) => renderRecord(t.type, r, body.properties)),
  };
  // The next cursor is offered even when it points at the window's edge; following it is the 400 above.
  if (end < hits.length) out.paging = { next: { after: String(end) } };
  return json(200, out);
}
