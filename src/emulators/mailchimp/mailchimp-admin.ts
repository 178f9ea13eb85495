import { z } from 'zod';
import type { AdminResult, EmulatorDataAdmin } from '../admin-api.js';
import { memberBodySchema, removeMember, writeMember, type ChangeOrigin, type MailchimpContext } from './mailchimp-members.js';
import { renderMember, subscriberHash, type AudienceList } from './mailchimp-store.js';
import type { MailchimpWebhookSettings } from './mailchimp-webhooks.js';

/**
 * Admin-API access to Mailchimp's data. The one object is `members`; `?list_id=` picks the audience
 * (default: the first). Edits are made as a subscriber (`?source=user`, the default) or an account admin
 * (`?source=admin`) would make them, so webhooks fire with that source.
 */
const settingsSchema = z.strictObject({
  url: z.url().optional(),
  events: z.record(z.string(), z.boolean()).optional(),
  sources: z.record(z.string(), z.boolean()).optional(),
  retryBaseDelayMs: z.number().int().min(0).optional(),
  timeoutMs: z.number().int().min(1).optional(),
  maxAttempts: z.number().int().min(1).optional(),
});

function fail<T>(status: number, message: string): AdminResult<T> {
  return { ok: false, status, message };
}

export function createMailchimpAdmin(deps: {
  ctx: MailchimpContext;
  settings: MailchimpWebhookSettings;
  /** Registers a webhook without the GET check (the admin is trusted). */
  register: (list: AudienceList, url: string, events?: Record<string, boolean>, sources?: Record<string, boolean>) => void;
  publishCampaign: (list: AudienceList, campaign: { id: string; subject: string; status: string; reason: string }) => void;
  info: () => Record<string, unknown>;
  reset: () => void;
}): EmulatorDataAdmin {
  const { ctx } = deps;
  const listFor = (object: string, query: URLSearchParams): AdminResult<AudienceList> => {
    if (object !== 'members') return fail(404, `unknown object "${object}"; allowed: members`);
    const id = query.get('list_id');
    const list = id ? ctx.store.lists.get(id) : ctx.store.lists.values().next().value;
    return list ? { ok: true, value: list } : fail(404, `no list ${id}; lists: ${[...ctx.store.lists.keys()].join(', ')}`);
  };
  const originOf = (query: URLSearchParams): ChangeOrigin => (query.get('source') === 'admin' ? 'admin' : 'user');
  const hashOf = (id: string): string => (id.includes('@') ? subscriberHash(id) : id.toLowerCase());

  return {
    info: deps.info,
    reset: deps.reset,
    list(object, query) {
      const list = listFor(object, query);
      if (!list.ok) return list;
      return { ok: true, value: [...list.value.members.values()].map(renderMember) };
    },
    seed(object, records, notify, query) {
      const list = listFor(object, query);
      if (!list.ok) return list;
      const ids: string[] = [];
      for (const [i, input] of records.entries()) {
        const parsed = memberBodySchema.extend({ email_address: z.string() }).safeParse(input);
        if (!parsed.success) return fail(400, `record ${i}: ${z.prettifyError(parsed.error)}`);
        const body = { status: 'subscribed' as const, ...parsed.data };
        const seedCtx: MailchimpContext = notify ? ctx : { ...ctx, publish: () => undefined };
        const done = writeMember(seedCtx, list.value, body, { mode: 'put', hash: subscriberHash(body.email_address), origin: 'admin' });
        if (!done.ok) return fail(done.problem.status, `record ${i}: ${done.problem.detail}`);
        ids.push(done.member.id);
      }
      return { ok: true, value: ids };
    },
    edit(object, id, changes, query) {
      const list = listFor(object, query);
      if (!list.ok) return list;
      const parsed = memberBodySchema.safeParse(changes);
      if (!parsed.success) return fail(400, z.prettifyError(parsed.error));
      if (!list.value.members.has(hashOf(id))) return fail(404, `no member ${id}`);
      const done = writeMember(ctx, list.value, parsed.data, { mode: 'patch', hash: hashOf(id), origin: originOf(query) });
      if (!done.ok) return fail(done.problem.status, done.problem.detail);
      return { ok: true, value: renderMember(done.member) };
    },
    remove(object, id, query) {
      const list = listFor(object, query);
      if (!list.ok) return list;
      const permanent = query.get('permanent') === 'true';
      return removeMember(ctx, list.value, hashOf(id), permanent, originOf(query)) ? { ok: true, value: null } : fail(404, `no member ${id}`);
    },
    action(name, body, query) {
      if (name !== 'campaign') return fail(404, `unknown action "${name}"; allowed: campaign`);
      const list = listFor('members', query);
      if (!list.ok) return list;
      const parsed = z.strictObject({
        id: z.string().default(() => ctx.random.hex(10)), subject: z.string().default('Emulator campaign'),
        status: z.string().default('sent'), reason: z.string().default(''),
      }).safeParse(body);
      if (!parsed.success) return fail(400, z.prettifyError(parsed.error));
      deps.publishCampaign(list.value, parsed.data);
      return { ok: true, value: parsed.data };
    },
    configureWebhooks(input) {
      const parsed = settingsSchema.safeParse(input);
      if (!parsed.success) return fail(400, z.prettifyError(parsed.error));
      const { url, events, sources, ...rest } = parsed.data;
      for (const [k, v] of Object.entries(rest)) if (v !== undefined) Object.assign(deps.settings, { [k]: v });
      const first = ctx.store.lists.values().next().value;
      if (url && first) deps.register(first, url, events, sources);
      return { ok: true, value: { ...deps.settings, webhooks: first?.webhooks ?? [] } };
    },
  };
}
