import { z } from 'zod';
import type { AdminResult, EmulatorDataAdmin } from '../admin-api.js';
import { checkProperties, type HubSpotContext } from './hubspot-context.js';
import { findObjectType, type HubSpotObjectType } from './hubspot-objects.js';
import { renderRecord, type ChangeSource } from './hubspot-store.js';
import type { HubSpotWebhookSettings } from './hubspot-webhooks.js';

/** Admin-API access to HubSpot's data: seed, edit and delete as a user in HubSpot's UI would. */
const webhookSettingsSchema = z.strictObject({
  targetUrl: z.url().optional(),
  legacySignature: z.enum(['v1', 'v2', 'none']).optional(),
  maxEventsPerRequest: z.number().int().min(1).max(100).optional(),
  subscriptions: z.array(z.strictObject({ eventType: z.string().min(1), propertyName: z.string().min(1).optional() })).optional(),
  retryBaseDelayMs: z.number().int().min(0).optional(),
  timeoutMs: z.number().int().min(1).optional(),
});

function fail<T>(status: number, message: string): AdminResult<T> {
  return { ok: false, status, message };
}

/** Accepts `{properties: {...}}` or the properties themselves. */
function propertiesOf(input: unknown): unknown {
  if (typeof input === 'object' && input !== null && 'properties' in input) return (input as { properties: unknown }).properties;
  return input;
}

export function createHubSpotAdmin(deps: {
  ctx: HubSpotContext;
  settings: HubSpotWebhookSettings;
  info: () => Record<string, unknown>;
  reset: () => void;
}): EmulatorDataAdmin {
  const { ctx, settings } = deps;
  const typeOf = (object: string): HubSpotObjectType | undefined => findObjectType(ctx.types, object);
  const unknownType = <T>(object: string): AdminResult<T> =>
    fail(404, `unknown object "${object}"; allowed: ${ctx.types.map((t) => t.name).join(', ')}`);

  return {
    info: deps.info,
    reset: deps.reset,
    list(object) {
      const type = typeOf(object);
      if (!type) return unknownType(object);
      const all = [...ctx.store.sorted(type, false), ...ctx.store.sorted(type, true)];
      return { ok: true, value: all.map((r) => renderRecord(type, r, Object.keys(r.properties))) };
    },
    seed(object, records, notify) {
      const type = typeOf(object);
      if (!type) return unknownType(object);
      const source: ChangeSource = notify ? 'CRM_UI' : 'IMPORT';
      const ids: string[] = [];
      for (const [i, input] of records.entries()) {
        const checked = checkProperties(ctx, type, propertiesOf(input), undefined, { asUser: true });
        if (!checked.ok) return fail(400, `record ${i}: ${checked.problem.message}`);
        const change = ctx.store.create(type, checked.properties, ctx.clock.now(), source);
        if (notify) ctx.publish(change);
        ids.push(change.record.id);
      }
      return { ok: true, value: ids };
    },
    edit(object, id, changes) {
      const type = typeOf(object);
      if (!type) return unknownType(object);
      const record = ctx.store.get(type, id);
      if (!record) return fail(404, `no live ${type.name} record with id ${id}`);
      const checked = checkProperties(ctx, type, propertiesOf(changes), record, { asUser: true });
      if (!checked.ok) return fail(checked.problem.status, checked.problem.message);
      const change = ctx.store.update(type, record, checked.properties, ctx.clock.now(), 'CRM_UI');
      ctx.publish(change);
      return { ok: true, value: renderRecord(type, record, Object.keys(record.properties)) };
    },
    remove(object, id) {
      const type = typeOf(object);
      if (!type) return unknownType(object);
      const record = ctx.store.get(type, id);
      if (!record) return fail(404, `no live ${type.name} record with id ${id}`);
      ctx.publish(ctx.store.archive(type, record, ctx.clock.now(), 'CRM_UI'));
      return { ok: true, value: null };
    },
    configureWebhooks(input) {
      const { url, ...rest } = input;
      const parsed = webhookSettingsSchema.safeParse(url !== undefined ? { targetUrl: url, ...rest } : rest);
      if (!parsed.success) return fail(400, z.prettifyError(parsed.error));
      for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) Object.assign(settings, { [k]: v });
      return { ok: true, value: { ...settings } };
    },
  };
}
