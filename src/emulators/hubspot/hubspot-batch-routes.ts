import { z } from 'zod';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-routes.js';
import { hubspotError, type BatchItemError } from './hubspot-errors.js';
import { checkProperties, objectPaths, problemResponse, resolveType, type HubSpotContext, type WriteProblem } from './hubspot-context.js';
import type { HubSpotObjectType } from './hubspot-objects.js';
import { renderRecord, type HubSpotRecord, type RecordChange } from './hubspot-store.js';

/**
 * POST /crm/v3/objects/{type}/batch/{read|create|update|upsert|archive}: at most 100 inputs
 * (50 for a read with `propertiesWithHistory`, https://github.com/PipedreamHQ/pipedream/pull/8462).
 * A read with unknown ids answers 207 with the found records and one OBJECT_NOT_FOUND error listing the
 * missing ids. A write where every input carries `objectWriteTraceId` answers 207 with per-input errors
 * and applies the good inputs (https://developers.hubspot.com/docs/api-reference/latest/error-handling);
 * without trace ids one bad input fails the whole batch and nothing is written. Archive answers 204.
 */
export const BATCH_MAX_INPUTS = 100;
export const BATCH_READ_HISTORY_MAX_INPUTS = 50;

const inputsSchema = z.object({ inputs: z.array(z.record(z.string(), z.unknown())) });

export function batchRoutes(ctx: HubSpotContext): Route[] {
  return [{ method: 'POST', patterns: objectPaths('/batch/:action'), handler: (r) => batch(ctx, r) }];
}

function batch(ctx: HubSpotContext, req: EmulatorRequest): EmulatorResponse {
  const t = resolveType(ctx, req);
  if ('response' in t) return t.response;
  if (req.bodyError) return hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `Invalid input JSON: ${req.bodyError}`);
  const parsed = inputsSchema.safeParse(req.body ?? {});
  if (!parsed.success) return hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `Invalid input: ${z.prettifyError(parsed.error)}`);
  const body = req.body as { inputs: Array<Record<string, unknown>>; properties?: string[]; propertiesWithHistory?: string[]; idProperty?: string };
  const withHistory = Array.isArray(body.propertiesWithHistory) && body.propertiesWithHistory.length > 0;
  const max = req.params.action === 'read' && withHistory ? BATCH_READ_HISTORY_MAX_INPUTS : BATCH_MAX_INPUTS;
  if (body.inputs.length > max) {
    return hubspotError(ctx.random, 400, 'VALIDATION_ERROR',
      `Batch input limit exceeded: ${body.inputs.length} inputs were sent; at most ${max} are allowed${max === BATCH_READ_HISTORY_MAX_INPUTS ? ' when propertiesWithHistory is requested' : ''}.`,
      { context: { inputs: [String(body.inputs.length)], max: [String(max)] } });
  }
  switch (req.params.action) {
    case 'read': return read(ctx, t.type, req, body);
    case 'create': return write(ctx, t.type, body.inputs, 'create');
    case 'update': return write(ctx, t.type, body.inputs, 'update');
    case 'upsert': return write(ctx, t.type, body.inputs, 'upsert');
    case 'archive': return archive(ctx, t.type, body.inputs);
    default:
      return hubspotError(ctx.random, 404, 'OBJECT_NOT_FOUND', `Unknown batch action ${req.params.action}; allowed: read, create, update, upsert, archive.`);
  }
}

function times(ctx: HubSpotContext): { startedAt: string; completedAt: string } {
  const now = ctx.clock.now().toISOString();
  return { startedAt: now, completedAt: now };
}

function read(
  ctx: HubSpotContext, type: HubSpotObjectType, req: EmulatorRequest,
  body: { inputs: Array<Record<string, unknown>>; properties?: string[]; propertiesWithHistory?: string[]; idProperty?: string },
): EmulatorResponse {
  const archived = req.query.get('archived') === 'true';
  const idProperty = body.idProperty ?? 'hs_object_id';
  if (!type.unique.has(idProperty)) {
    return hubspotError(ctx.random, 400, 'VALIDATION_ERROR', `${idProperty} is not a unique property of ${type.name}; allowed: ${[...type.unique].join(', ')}.`);
  }
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const input of body.inputs) {
    const id = String(input.id ?? '');
    const record = ctx.store.findBy(type, idProperty, id, archived);
    if (record) results.push(renderRecord(type, record, body.properties, body.propertiesWithHistory ?? []));
    else missing.push(id);
  }
  if (missing.length === 0) return json(200, { status: 'COMPLETE', results, ...times(ctx) });
  const error: BatchItemError = {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${type.label} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids: missing },
  };
  return json(207, { status: 'COMPLETE', results, numErrors: 1, errors: [error], ...times(ctx) });
}

type Planned = { input: Record<string, unknown>; run: () => { record: HubSpotRecord; change: RecordChange; isNew?: boolean } };

function write(ctx: HubSpotContext, type: HubSpotObjectType, inputs: Array<Record<string, unknown>>, mode: 'create' | 'update' | 'upsert'): EmulatorResponse {
  const planned: Planned[] = [];
  const failures: Array<{ input: Record<string, unknown>; problem: WriteProblem }> = [];
  const emailsInBatch = new Set<string>();
  for (const input of inputs) {
    const outcome = plan(ctx, type, input, mode);
    if (!outcome.ok) { failures.push({ input, problem: outcome.problem }); continue; }
    // Two inputs creating the same email in one batch collide just as a stored duplicate would.
    const email = typeof (input.properties as Record<string, unknown> | undefined)?.email === 'string'
      ? String((input.properties as Record<string, unknown>).email).toLowerCase() : undefined;
    if (type.name === 'contacts' && email && mode === 'create') {
      if (emailsInBatch.has(email)) { failures.push({ input, problem: { status: 409, category: 'CONFLICT', message: `Duplicate email ${email} in batch input.` } }); continue; }
      emailsInBatch.add(email);
    }
    planned.push({ input, run: outcome.run });
  }
  const traced = inputs.length > 0 && inputs.every((i) => typeof i.objectWriteTraceId === 'string');
  const first = failures[0];
  if (first && !traced) return problemResponse(ctx, first.problem);
  const now = times(ctx);
  const results = planned.map((p) => {
    const { record, change, isNew } = p.run();
    ctx.publish(change);
    const props = Object.keys((p.input.properties ?? {}) as Record<string, unknown>);
    // Each result echoes its input's objectWriteTraceId, as the batch create/update/upsert response schema shows
    // (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/batch/upsert-contacts), so a
    // 207 answer can be matched to its inputs.
    const trace = typeof p.input.objectWriteTraceId === 'string' ? { objectWriteTraceId: p.input.objectWriteTraceId } : {};
    return { ...renderRecord(type, record, props), ...trace, ...(mode === 'upsert' ? { new: isNew ?? false } : {}) };
  });
  const status = mode === 'create' ? 201 : 200;
  if (failures.length === 0) return json(status, { status: 'COMPLETE', results, ...now });
  const errors: BatchItemError[] = failures.map((f) => ({
    status: 'error',
    category: f.problem.category,
    message: f.problem.message,
    context: { objectWriteTraceId: [String(f.input.objectWriteTraceId)], ...(f.problem.context ?? {}) },
    ...(f.problem.errors ? { errors: f.problem.errors } : {}),
  }));
  return json(207, { status: 'COMPLETE', results, numErrors: errors.length, errors, ...now });
}

function plan(ctx: HubSpotContext, type: HubSpotObjectType, input: Record<string, unknown>, mode: 'create' | 'update' | 'upsert'):
  { ok: true; run: Planned['run'] } | { ok: false; problem: WriteProblem } {
  const now = ctx.clock.now();
  if (mode === 'create') {
    const checked = checkProperties(ctx, type, input.properties ?? {});
    if (!checked.ok) return checked;
    return { ok: true, run: () => { const change = ctx.store.create(type, checked.properties, now, 'INTEGRATION'); return { record: change.record, change }; } };
  }
  const idProperty = typeof input.idProperty === 'string' ? input.idProperty : 'hs_object_id';
  const id = String(input.id ?? '');
  if (!type.unique.has(idProperty)) {
    return { ok: false, problem: { status: 400, category: 'VALIDATION_ERROR', message: `${idProperty} is not a unique property; allowed: ${[...type.unique].join(', ')}.` } };
  }
  const record = ctx.store.findBy(type, idProperty, id);
  if (!record) {
    if (mode === 'update') {
      return { ok: false, problem: { status: 404, category: 'OBJECT_NOT_FOUND', message: `Could not get some ${type.label} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: [id] } } };
    }
    if (idProperty === 'hs_object_id') {
      return { ok: false, problem: { status: 400, category: 'VALIDATION_ERROR', message: 'Upsert needs an idProperty other than hs_object_id to create a record.' } };
    }
    const props = { ...(input.properties as Record<string, unknown> | undefined ?? {}), [idProperty]: id };
    const checked = checkProperties(ctx, type, props);
    if (!checked.ok) return checked;
    return { ok: true, run: () => { const change = ctx.store.create(type, checked.properties, now, 'INTEGRATION'); return { record: change.record, change, isNew: true }; } };
  }
  const checked = checkProperties(ctx, type, input.properties ?? {}, record);
  if (!checked.ok) return checked;
  return { ok: true, run: () => ({ record, change: ctx.store.update(type, record, checked.properties, now, 'INTEGRATION'), isNew: false }) };
}

function archive(ctx: HubSpotContext, type: HubSpotObjectType, inputs: Array<Record<string, unknown>>): EmulatorResponse {
  for (const input of inputs) {
    const record = ctx.store.get(type, String(input.id ?? ''));
    if (record) ctx.publish(ctx.store.archive(type, record, ctx.clock.now(), 'INTEGRATION'));
  }
  return { status: 204 };
}
