import { z } from 'zod';
import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-routes.js';
import { memberBodySchema, writeMember, type MailchimpContext } from './mailchimp-members.js';
import { listOf } from './mailchimp-member-routes.js';
import { notFound, problem } from './mailchimp-problem.js';
import { renderMember, subscriberHash, type AudienceList, type WebhookRegistration } from './mailchimp-store.js';
import { checkWebhookUrl } from './mailchimp-webhooks.js';

/**
 * GET  /3.0/ping                                 {"health_status":"Everything's Chimpy!"}
 * GET  /3.0/lists/{list_id}                      the audience
 * POST /3.0/lists/{list_id}                      batch subscribe/update, at most 500 members; answers 200 with
 *                                                new_members, updated_members, errors, total_created,
 *                                                total_updated, error_count even when some members fail
 *                                                (https://docs.rs/mailchimp/0.1.10/mailchimp/types/struct.ListBatchResponse.html)
 * GET|POST /3.0/lists/{list_id}/merge-fields
 * GET|POST /3.0/lists/{list_id}/webhooks         POST first GETs the URL and fails unless it answers 200
 * DELETE /3.0/lists/{list_id}/webhooks/{id}
 */
export const BATCH_SUBSCRIBE_MAX = 500;

const batchSchema = z.object({
  members: z.array(memberBodySchema.extend({ email_address: z.string() })),
  update_existing: z.boolean().default(false),
  sync_tags: z.boolean().optional(),
});

const webhookSchema = z.object({
  url: z.url(),
  events: z.object({
    subscribe: z.boolean().default(true), unsubscribe: z.boolean().default(true), profile: z.boolean().default(true),
    cleaned: z.boolean().default(true), upemail: z.boolean().default(true), campaign: z.boolean().default(true),
  }).default({ subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: true }),
  sources: z.object({ user: z.boolean().default(true), admin: z.boolean().default(true), api: z.boolean().default(false) })
    .default({ user: true, admin: true, api: false }),
});

const mergeFieldSchema = z.object({
  tag: z.string().min(1).max(10).optional(),
  name: z.string().min(1),
  type: z.enum(['text', 'number', 'address', 'phone', 'date', 'url', 'imageurl', 'radio', 'dropdown', 'birthday', 'zip']),
  required: z.boolean().optional(),
  default_value: z.string().optional(),
});

function invalid(ctx: MailchimpContext, error: z.ZodError): EmulatorResponse {
  return problem(ctx.random, 400, 'Invalid Resource', 'The resource submitted could not be validated. For field-specific details, see the \'errors\' array.',
    error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })));
}

export function listRoutes(ctx: MailchimpContext, options: { webhookCheckTimeoutMs: number }): Route[] {
  const withList = (fn: (req: EmulatorRequest, list: AudienceList) => EmulatorResponse | Promise<EmulatorResponse>) =>
    (req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse> => {
      const list = listOf(ctx, req);
      if (!list) return notFound(ctx.random);
      if (req.bodyError) return problem(ctx.random, 400, 'JSON Parse Exception', 'We encountered an unspecified JSON parsing error.');
      return fn(req, list);
    };
  return [
    { method: 'GET', patterns: ['/3.0/ping'], handler: () => json(200, { health_status: "Everything's Chimpy!" }) },
    { method: 'GET', patterns: ['/3.0/lists/:listId'], handler: withList((_req, list) => json(200, {
      id: list.id, name: list.name, stats: { member_count: [...list.members.values()].filter((m) => m.status === 'subscribed').length }, _links: [],
    })) },
    { method: 'POST', patterns: ['/3.0/lists/:listId'], handler: withList((req, list) => batchSubscribe(ctx, req, list)) },
    { method: 'GET', patterns: ['/3.0/lists/:listId/merge-fields'], handler: withList((_req, list) => json(200, {
      merge_fields: list.mergeFields.map((f) => ({ ...f, _links: [] })), list_id: list.id, total_items: list.mergeFields.length, _links: [],
    })) },
    { method: 'POST', patterns: ['/3.0/lists/:listId/merge-fields'], handler: withList((req, list) => {
      const parsed = mergeFieldSchema.safeParse(req.body ?? {});
      if (!parsed.success) return invalid(ctx, parsed.error);
      const tag = (parsed.data.tag ?? parsed.data.name.replace(/[^A-Za-z0-9]/g, '').slice(0, 10)).toUpperCase();
      if (list.mergeFields.some((f) => f.tag === tag)) {
        return problem(ctx.random, 400, 'Invalid Resource', `A Merge Field with the tag "${tag}" already exists for this list.`);
      }
      return json(200, { ...ctx.store.addMergeField(list, { ...parsed.data, tag }), _links: [] });
    }) },
    { method: 'GET', patterns: ['/3.0/lists/:listId/webhooks'], handler: withList((_req, list) => json(200, {
      webhooks: list.webhooks.map((w) => ({ ...w, _links: [] })), list_id: list.id, total_items: list.webhooks.length, _links: [],
    })) },
    { method: 'POST', patterns: ['/3.0/lists/:listId/webhooks'], handler: withList(async (req, list) => {
      const parsed = webhookSchema.safeParse(req.body ?? {});
      if (!parsed.success) return invalid(ctx, parsed.error);
      const check = await checkWebhookUrl(parsed.data.url, options.webhookCheckTimeoutMs);
      if (!check.ok) {
        return problem(ctx.random, 400, 'Invalid Resource',
          `The resource submitted could not be validated: the webhook URL ${parsed.data.url} must answer a GET with 200 (${check.reason}).`,
          [{ field: 'url', message: 'The URL did not return a 200 response when validated.' }]);
      }
      const reg: WebhookRegistration = { id: ctx.random.hex(10), list_id: list.id, ...parsed.data };
      list.webhooks.push(reg);
      return json(200, { ...reg, _links: [] });
    }) },
    { method: 'DELETE', patterns: ['/3.0/lists/:listId/webhooks/:webhookId'], handler: withList((req, list) => {
      const i = list.webhooks.findIndex((w) => w.id === req.params.webhookId);
      if (i < 0) return notFound(ctx.random);
      list.webhooks.splice(i, 1);
      return { status: 204 };
    }) },
  ];
}

function batchSubscribe(ctx: MailchimpContext, req: EmulatorRequest, list: AudienceList): EmulatorResponse {
  const raw = req.body as { members?: unknown[] } | undefined;
  if (Array.isArray(raw?.members) && raw.members.length > BATCH_SUBSCRIBE_MAX) {
    return problem(ctx.random, 400, 'Invalid Resource',
      `The batch contains ${raw.members.length} members; at most ${BATCH_SUBSCRIBE_MAX} may be added or updated with each call.`,
      [{ field: 'members', message: `Maximum ${BATCH_SUBSCRIBE_MAX} items.` }]);
  }
  const parsed = batchSchema.safeParse(req.body ?? {});
  if (!parsed.success) return invalid(ctx, parsed.error);
  const created: unknown[] = [];
  const updated: unknown[] = [];
  const errors: Array<{ email_address: string; error: string; error_code: string; field: string; field_message: string }> = [];
  for (const m of parsed.data.members) {
    const exists = list.members.get(subscriberHash(m.email_address));
    if (exists && exists.status !== 'archived' && !parsed.data.update_existing) {
      errors.push({ email_address: m.email_address, error: `${m.email_address} is already a list member, do you want to update? please provide update_existing:'true' in the request body`, error_code: 'ERROR_CONTACT_EXISTS', field: '', field_message: '' });
      continue;
    }
    if (!exists && m.status === undefined && m.status_if_new === undefined) {
      errors.push({ email_address: m.email_address, error: 'Status is required for new members.', error_code: 'ERROR_GENERIC', field: 'status', field_message: 'This value should not be blank.' });
      continue;
    }
    const done = writeMember(ctx, list, m, { mode: 'put', hash: subscriberHash(m.email_address), origin: 'api' });
    if (!done.ok) {
      errors.push({ email_address: m.email_address, error: done.problem.detail, error_code: 'ERROR_GENERIC', field: done.problem.errors?.[0]?.field ?? '', field_message: done.problem.errors?.[0]?.message ?? '' });
      continue;
    }
    (done.created ? created : updated).push(renderMember(done.member));
  }
  return json(200, {
    new_members: created, updated_members: updated, errors,
    total_created: created.length, total_updated: updated.length, error_count: errors.length, _links: [],
  });
}
