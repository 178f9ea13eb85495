import PQueue from 'p-queue';
import { asRemoteId } from '../../shared/ids.js';
import { classifyResponse } from '../http/classify-response.js';
import { failAll, parseBodyAs, providerMessage, writeErrorKind } from '../http/response-checks.js';
import { objectPath } from '../object-paths.js';
import type { ConnectorContext, RemoteRecord, WriteOp, WriteResult } from '../contract.js';
import type { HttpResponse } from '../http/http-types.js';
import { batchSubscribeResponseSchema, mailchimpFacts, memberSchema, toMemberBody, toRemoteRecord, type Member } from './mailchimp-objects.js';

type CreateOp = Extract<WriteOp, { kind: 'create' }>;
type UpdateOp = Extract<WriteOp, { kind: 'update' }>;
type DeleteOp = Extract<WriteOp, { kind: 'delete' }>;

/** Requests a write fans out at once; the account allows 10 connections for everything Concord does. */
const FAN_OUT = 4;

function failed(ref: string, res: HttpResponse, what: string): Extract<WriteResult, { ok: false }> {
  return { ref, ok: false, error: { kind: writeErrorKind(res), message: `${what}: HTTP ${res.status}: ${providerMessage(res)}`, status: res.status,
    ...(res.rateLimit?.retryAfterMs !== undefined ? { retryAfterMs: res.rateLimit.retryAfterMs } : {}) } };
}

function desiredTags(fields: Record<string, unknown>): string[] | undefined {
  const t = fields.tags;
  if (t === undefined) return undefined;
  const list = Array.isArray(t) ? t : typeof t === 'string' && t !== '' ? t.split(',') : [];
  return [...new Set(list.map((x) => String(x).trim()).filter((x) => x !== ''))].sort();
}

/**
 * Tags are not part of member bodies: they are set through the member tags endpoint, marking the
 * wanted ones active and the others the member has inactive (which removes them).
 */
async function applyTags(base: string, member: Member, wanted: string[], ctx: ConnectorContext): Promise<HttpResponse | null> {
  const current = member.tags.map((t) => t.name);
  const tags = [...wanted.map((name) => ({ name, status: 'active' })), ...current.filter((n) => !wanted.includes(n)).map((name) => ({ name, status: 'inactive' }))];
  if (tags.length === 0) return null;
  const res = await ctx.http.request({ method: 'POST', url: `${base}/${member.id}/tags`, json: { tags }, priority: 0, repeatable: true, signal: ctx.signal });
  return classifyResponse(res.status, res.headers) === 'ok' ? null : res;
}

async function finishWithTags(base: string, op: CreateOp | UpdateOp, member: Member, ctx: ConnectorContext): Promise<WriteResult> {
  const record: RemoteRecord = toRemoteRecord(member);
  const wanted = desiredTags(op.fields);
  if (wanted !== undefined) {
    const bad = await applyTags(base, member, wanted, ctx);
    // The member was written and its tags were not: the write landed in part, which only a read can tell.
    if (bad) return { ...failed(op.ref, bad, 'member written, tags not'), unknown: true };
    record.fields.tags = wanted;
  }
  return { ref: op.ref, ok: true, record };
}

/**
 * Creates go through batch subscribe (POST /lists/{list_id}, up to 500, update_existing) so a create
 * for an email that already exists updates it instead of failing: creates are idempotent by email.
 * Results are per member, matched by email, from new_members, updated_members and errors.
 */
async function createMembers(listPath: string, ops: CreateOp[], ctx: ConnectorContext): Promise<WriteResult[]> {
  const members = ops.map((op): Record<string, unknown> => {
    const body = toMemberBody(op.fields);
    // Batch subscribe requires a status; an op without one subscribes, as the facts default.
    return { ...body, status: body.status ?? 'subscribed' };
  });
  const missing = ops.filter((_, i) => typeof members[i]!.email_address !== 'string');
  const sendable = ops.filter((op) => !missing.includes(op));
  const results = new Map<string, WriteResult>();
  for (const op of missing) results.set(op.ref, { ref: op.ref, ok: false, error: { kind: 'validation', message: 'a member needs email_address' } });
  if (sendable.length > 0) {
    const listUrl = listPath.replace(/\/members$/, '');
    const res = await ctx.http.request({
      method: 'POST', url: listUrl, json: { members: members.filter((m) => typeof m.email_address === 'string'), update_existing: true }, priority: 0,
      // Batch subscribe with update_existing is an upsert by email: sent twice, it leaves the members as once.
      repeatable: true, signal: ctx.signal,
    });
    if (classifyResponse(res.status, res.headers) !== 'ok') for (const r of failAll(sendable.map((o) => o.ref), res)) results.set(r.ref, r);
    else {
      const body = parseBodyAs(batchSubscribeResponseSchema, res, `system mailchimp: POST ${listUrl}`);
      const byEmail = new Map<string, Member>();
      for (const m of [...body.new_members, ...body.updated_members]) byEmail.set(m.email_address.toLowerCase(), m);
      const errors = new Map(body.errors.map((e) => [(e.email_address ?? '').toLowerCase(), e]));
      const queue = new PQueue({ concurrency: FAN_OUT });
      await Promise.all(sendable.map((op) => queue.add(async () => {
        const email = String(toMemberBody(op.fields).email_address).toLowerCase();
        const m = byEmail.get(email);
        const e = errors.get(email);
        let r: WriteResult;
        if (m) r = await finishWithTags(listPath, op, m, ctx);
        else if (e) r = { ref: op.ref, ok: false, error: { kind: 'validation', message: `${e.error_code ?? 'rejected'}: ${e.error ?? ''}`.trim(), status: res.status } };
        else r = { ref: op.ref, ok: false, error: { kind: 'retryable', message: 'Mailchimp reported no outcome for this member', status: res.status } };
        results.set(op.ref, r);
      })));
    }
  }
  return ops.map((op) => results.get(op.ref)!);
}

/**
 * Updates are PATCHes of one member each: batch subscribe needs the email and a status for every
 * member, and sending a status the engine did not ask to change could undo a fresh unsubscribe.
 */
async function updateMember(listPath: string, op: UpdateOp, ctx: ConnectorContext): Promise<WriteResult> {
  const body = toMemberBody(op.fields);
  let member: Member;
  if (Object.keys(body).length > 0) {
    const res = await ctx.http.request({ method: 'PATCH', url: `${listPath}/${op.id}`, json: body, priority: 0, signal: ctx.signal });
    if (classifyResponse(res.status, res.headers) !== 'ok') return failed(op.ref, res, 'PATCH member');
    member = parseBodyAs(memberSchema, res, `system mailchimp: PATCH ${listPath}/${op.id}`);
  } else {
    const res = await ctx.http.request({ method: 'GET', url: `${listPath}/${op.id}`, priority: 0, signal: ctx.signal });
    if (classifyResponse(res.status, res.headers) !== 'ok') return failed(op.ref, res, 'GET member');
    member = parseBodyAs(memberSchema, res, `system mailchimp: GET ${listPath}/${op.id}`);
  }
  return finishWithTags(listPath, op, member, ctx);
}

/** DELETE archives the member (it stays readable with status archived). */
async function archiveMember(listPath: string, op: DeleteOp, ctx: ConnectorContext): Promise<WriteResult> {
  const res = await ctx.http.request({ method: 'DELETE', url: `${listPath}/${op.id}`, priority: 0, signal: ctx.signal });
  if (classifyResponse(res.status, res.headers) !== 'ok') return failed(op.ref, res, 'DELETE member');
  const now = ctx.clock.now().toISOString();
  return { ref: op.ref, ok: true, record: { id: asRemoteId(op.id), version: now, modifiedAt: now, fields: { status: 'archived' }, deleted: true } };
}

export async function writeMailchimp(object: string, ops: WriteOp[], ctx: ConnectorContext): Promise<WriteResult[]> {
  const listPath = objectPath(mailchimpFacts, object, ctx.params);
  const results = new Map<string, WriteResult>();
  const creates = ops.filter((o): o is CreateOp => o.kind === 'create');
  for (const r of creates.length ? await createMembers(listPath, creates, ctx) : []) results.set(r.ref, r);
  const queue = new PQueue({ concurrency: FAN_OUT });
  await Promise.all(ops.filter((o) => o.kind !== 'create').map((op) => queue.add(async () => {
    results.set(op.ref, op.kind === 'update' ? await updateMember(listPath, op, ctx) : await archiveMember(listPath, op as DeleteOp, ctx));
  })));
  return ops.map((op) => results.get(op.ref) ?? { ref: op.ref, ok: false, error: { kind: 'permanent', message: `no result for ${op.ref}` } });
}
