import { asRemoteId } from '../../shared/ids.js';
import { failAll, parseBodyAs } from '../http/response-checks.js';
import { classifyResponse } from '../http/classify-response.js';
import { objectPath } from '../object-paths.js';
import type { ConnectorContext, WriteErrorKind, WriteOp, WriteResult } from '../contract.js';
import { writeContactsWithConsent } from './hubspot-consent-write.js';
import { batchResponseSchema, hubspotFacts, toHubspotProperties, toRemoteRecord, type HubspotBatchError } from './hubspot-objects.js';

type CreateOp = Extract<WriteOp, { kind: 'create' }>;
type UpdateOp = Extract<WriteOp, { kind: 'update' }>;
type DeleteOp = Extract<WriteOp, { kind: 'delete' }>;

function errorKind(e: HubspotBatchError): WriteErrorKind {
  const c = (e.category ?? '').toUpperCase();
  if (c.includes('NOT_FOUND')) return 'not-found';
  if (c.includes('VALIDATION')) return 'validation';
  if (c.includes('CONFLICT') || c.includes('ALREADY_EXISTS')) return 'conflict';
  if (c.includes('RATE_LIMIT')) return 'rate-limited';
  return 'permanent';
}

/** Which inputs an error is about: its trace ids (we set one per op) and, for updates, its ids. */
function errorKeys(e: HubspotBatchError): string[] {
  return [...(e.context?.objectWriteTraceId ?? []), ...(e.objectWriteTraceId ? [e.objectWriteTraceId] : []), ...(e.context?.ids ?? [])];
}

/**
 * One batch call (create or update). Each input carries `objectWriteTraceId = ref`, so HubSpot answers
 * 207 Multi-Status with per-input results and errors (https://developers.hubspot.com/docs/api-reference/latest/error-handling).
 * When the whole batch is refused (400/409) for one bad input, the ops are retried one by one so every
 * op gets its own result.
 */
async function upsertBatch(object: string, kind: 'create' | 'update', ops: Array<CreateOp | UpdateOp>, ctx: ConnectorContext): Promise<WriteResult[]> {
  const where = `system hubspot: POST ${object}/batch/${kind}`;
  const inputs = ops.map((op) => ({
    ...(op.kind === 'update' ? { id: op.id } : {}),
    properties: toHubspotProperties(op.fields),
    objectWriteTraceId: op.ref,
  }));
  const res = await ctx.http.request({ method: 'POST', url: `${objectPath(hubspotFacts, object, ctx.params)}/batch/${kind}`, json: { inputs }, priority: 0, signal: ctx.signal });
  const cls = classifyResponse(res.status, res.headers);
  if (cls !== 'ok') {
    if ((res.status === 400 || res.status === 409) && ops.length > 1) {
      const one: WriteResult[] = [];
      for (const op of ops) one.push(...(await upsertBatch(object, kind, [op], ctx)));
      return one;
    }
    return failAll(ops.map((o) => o.ref), res);
  }
  const body = parseBodyAs(batchResponseSchema, res, where);
  const byKey = new Map<string, (typeof body.results)[number]>();
  for (const r of body.results) {
    if (r.objectWriteTraceId) byKey.set(r.objectWriteTraceId, r);
    byKey.set(`id:${r.id}`, r);
  }
  const errors = new Map<string, HubspotBatchError>();
  for (const e of body.errors) for (const k of errorKeys(e)) errors.set(k, e);
  // Without trace ids in the answer, a fully successful create batch is matched by position (HubSpot keeps input order).
  const positional = kind === 'create' && body.errors.length === 0 && body.results.length === ops.length && body.results.every((r) => !r.objectWriteTraceId);
  return ops.map((op, i): WriteResult => {
    const hit = positional ? body.results[i] : byKey.get(op.ref) ?? (op.kind === 'update' ? byKey.get(`id:${op.id}`) : undefined);
    if (hit) return { ref: op.ref, ok: true, record: toRemoteRecord(hit, object) };
    const err = errors.get(op.ref) ?? (op.kind === 'update' ? errors.get(op.id) : undefined);
    if (err) return { ref: op.ref, ok: false, error: { kind: errorKind(err), message: err.message ?? 'rejected by HubSpot', status: res.status } };
    // Neither a result nor an error: the outcome is unknown, so the engine re-reads (and finds, for creates).
    return { ref: op.ref, ok: false, error: { kind: 'retryable', message: `${where}: HubSpot reported no outcome for this input`, status: res.status } };
  });
}

/** Archive answers 204 for every id, already archived or missing ones included. */
async function archiveBatch(object: string, ops: DeleteOp[], ctx: ConnectorContext): Promise<WriteResult[]> {
  const res = await ctx.http.request({
    method: 'POST', url: `${objectPath(hubspotFacts, object, ctx.params)}/batch/archive`,
    json: { inputs: ops.map((op) => ({ id: op.id })) }, priority: 0, signal: ctx.signal,
  });
  if (classifyResponse(res.status, res.headers) !== 'ok') return failAll(ops.map((o) => o.ref), res);
  const now = ctx.clock.now().toISOString();
  return ops.map((op) => ({ ref: op.ref, ok: true as const, record: { id: asRemoteId(op.id), version: now, modifiedAt: now, fields: {}, deleted: true } }));
}

/**
 * Writes up to 100 ops: creates, updates and archives each go in one batch call; results come back in op order.
 * Contacts' opt-out goes through the communication preferences API instead (hubspot-consent-write.ts).
 */
export async function writeHubspot(object: string, ops: WriteOp[], ctx: ConnectorContext): Promise<WriteResult[]> {
  if (object === 'contacts') return writeContactsWithConsent(ops, ctx, (rest) => writeProperties(object, rest, ctx));
  return writeProperties(object, ops, ctx);
}

async function writeProperties(object: string, ops: WriteOp[], ctx: ConnectorContext): Promise<WriteResult[]> {
  const creates = ops.filter((o): o is CreateOp => o.kind === 'create');
  const updates = ops.filter((o): o is UpdateOp => o.kind === 'update');
  const deletes = ops.filter((o): o is DeleteOp => o.kind === 'delete');
  const results = new Map<string, WriteResult>();
  const run = async (p: Promise<WriteResult[]>) => { for (const r of await p) results.set(r.ref, r); };
  if (creates.length) await run(upsertBatch(object, 'create', creates, ctx));
  if (updates.length) await run(upsertBatch(object, 'update', updates, ctx));
  if (deletes.length) await run(archiveBatch(object, deletes, ctx));
  return ops.map((op) => results.get(op.ref) ?? { ref: op.ref, ok: false, error: { kind: 'permanent', message: `no result for ${op.ref}` } });
}
