import { z } from 'zod';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-routes.js';
import { memberBodySchema, memberStatusOk, removeMember, writeMember, type MailchimpContext } from './mailchimp-members.js';
import { notFound, problem } from './mailchimp-problem.js';
import { mailchimpTime, renderMember, subscriberHash, type AudienceList } from './mailchimp-store.js';
import { selectFields } from './mailchimp-fields.js';

/**
 * Audience members (PROVIDERS.md §5.4–5.6):
 * GET    /3.0/lists/{list_id}/members                 `count` (default 10, max 1000), `offset`, `status`,
 *                                                      `since_last_changed`, `sort_field`/`sort_dir`, `fields`/`exclude_fields`
 * POST   /3.0/lists/{list_id}/members                 create only ("Member Exists" otherwise)
 * GET|PUT|PATCH|DELETE /3.0/lists/{list_id}/members/{subscriber_hash}   DELETE archives
 * POST   /3.0/lists/{list_id}/members/{hash}/actions/delete-permanent
 * GET|POST /3.0/lists/{list_id}/members/{hash}/tags   POST answers 204
 * The path's member id may be the MD5 hash or the email itself.
 */
export const MEMBERS_MAX_COUNT = 1000;

export function listOf(ctx: MailchimpContext, req: EmulatorRequest): AudienceList | undefined {
  return ctx.store.lists.get(req.params.listId ?? '');
}

function hashOf(req: EmulatorRequest): string {
  const raw = req.params.hash ?? '';
  return raw.includes('@') ? subscriberHash(raw) : raw.toLowerCase();
}

function parseBody<T>(ctx: MailchimpContext, req: EmulatorRequest, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; res: EmulatorResponse } {
  if (req.bodyError) return { ok: false, res: problem(ctx.random, 400, 'JSON Parse Exception', 'We encountered an unspecified JSON parsing error.') };
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      res: problem(ctx.random, 400, 'Invalid Resource', 'The resource submitted could not be validated. For field-specific details, see the \'errors\' array.',
        parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }))),
    };
  }
  return { ok: true, value: parsed.data };
}

export function memberRoutes(ctx: MailchimpContext): Route[] {
  const base = '/3.0/lists/:listId/members';
  const withList = (fn: (req: EmulatorRequest, list: AudienceList) => EmulatorResponse) => (req: EmulatorRequest): EmulatorResponse => {
    const list = listOf(ctx, req);
    return list ? fn(req, list) : notFound(ctx.random);
  };
  const write = (mode: 'put' | 'patch' | 'post') => withList((req, list) => {
    const body = parseBody(ctx, req, memberBodySchema);
    if (!body.ok) return body.res;
    const done = writeMember(ctx, list, body.value, { mode, origin: 'api', ...(mode === 'post' ? {} : { hash: hashOf(req) }) });
    if (!done.ok) return problem(ctx.random, done.problem.status, done.problem.title, done.problem.detail, done.problem.errors);
    return json(200, renderMember(done.member));
  });
  return [
    { method: 'GET', patterns: [base], handler: withList((req, list) => listMembers(ctx, req, list)) },
    { method: 'POST', patterns: [base], handler: write('post') },
    { method: 'POST', patterns: [`${base}/:hash/actions/delete-permanent`], handler: withList((req, list) =>
      removeMember(ctx, list, hashOf(req), true, 'api') ? { status: 204 } : notFound(ctx.random)) },
    { method: 'GET', patterns: [`${base}/:hash/tags`], handler: withList((req, list) => {
      const m = list.members.get(hashOf(req));
      if (!m) return notFound(ctx.random);
      return json(200, { tags: m.tags.map((t) => ({ ...t })), total_items: m.tags.length, _links: [] });
    }) },
    { method: 'POST', patterns: [`${base}/:hash/tags`], handler: withList((req, list) => {
      const m = list.members.get(hashOf(req));
      if (!m) return notFound(ctx.random);
      const body = parseBody(ctx, req, z.object({
        tags: z.array(z.object({ name: z.string().min(1), status: z.enum(['active', 'inactive']) })),
        is_syncing: z.boolean().optional(),
      }));
      if (!body.ok) return body.res;
      let changed = false;
      for (const t of body.value.tags) {
        const has = m.tags.findIndex((x) => x.name === t.name);
        if (t.status === 'active' && has < 0) { m.tags.push({ id: ctx.store.tagId(), name: t.name, date_added: mailchimpTime(ctx.clock.now()) }); changed = true; }
        if (t.status === 'inactive' && has >= 0) { m.tags.splice(has, 1); changed = true; }
      }
      // A tag edit moves last_changed like any other member edit (PROVIDERS.md §5.4).
      if (changed) m.last_changed = mailchimpTime(ctx.clock.now());
      return { status: 204 };
    }) },
    { method: 'GET', patterns: [`${base}/:hash`], handler: withList((req, list) => {
      const m = list.members.get(hashOf(req));
      return m ? json(200, selectFields(renderMember(m), req.query)) : notFound(ctx.random);
    }) },
    { method: 'PUT', patterns: [`${base}/:hash`], handler: write('put') },
    { method: 'PATCH', patterns: [`${base}/:hash`], handler: write('patch') },
    { method: 'DELETE', patterns: [`${base}/:hash`], handler: withList((req, list) =>
      removeMember(ctx, list, hashOf(req), false, 'api') ? { status: 204 } : notFound(ctx.random)) },
  ];
}

function listMembers(ctx: MailchimpContext, req: EmulatorRequest, list: AudienceList): EmulatorResponse {
  const q = req.query;
  const count = Math.min(Math.max(Number(q.get('count') ?? 10) || 10, 0), MEMBERS_MAX_COUNT);
  const offset = Math.max(Number(q.get('offset') ?? 0) || 0, 0);
  const status = q.get('status');
  if (status !== null && !memberStatusOk(status)) {
    return problem(ctx.random, 400, 'Invalid Resource', `status must be one of subscribed, unsubscribed, cleaned, pending, transactional, archived; found ${status}.`);
  }
  const sinceRaw = q.get('since_last_changed');
  const since = sinceRaw ? Date.parse(sinceRaw) : undefined;
  if (sinceRaw && Number.isNaN(since)) return problem(ctx.random, 400, 'Invalid Resource', `since_last_changed is not a date: ${sinceRaw}.`);
  let members = [...list.members.values()].filter((m) => (status ? m.status === status : m.status !== 'archived'));
  if (since !== undefined) members = members.filter((m) => Date.parse(m.last_changed) >= Math.floor(since / 1000) * 1000);
  const sortField = q.get('sort_field');
  if (sortField === 'last_changed' || sortField === 'timestamp_opt' || sortField === 'timestamp_signup') {
    const dir = q.get('sort_dir') === 'DESC' ? -1 : 1;
    members.sort((a, b) => dir * a[sortField].localeCompare(b[sortField]));
  }
  const page = members.slice(offset, offset + count);
  return json(200, selectFields({
    members: page.map(renderMember), list_id: list.id, total_items: members.length, _links: [],
  }, q));
}
