import { z } from 'zod';
import type { EmulatorClock } from './emulator-clock.js';
import type { AdminHandler, RequestCounter } from './emulator-server.js';
import { faultRuleSchema, type FaultInjector } from './fault-injector.js';
import { json, matchRoute, type EmulatorRequest, type EmulatorResponse, type Route } from './emulator-routes.js';
import { webhookChaosSchema, type WebhookQueue } from './webhook-queue.js';

/** Result of an admin data operation: a value, or a problem with the HTTP status to answer. */
export type AdminResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

/** What each provider emulator exposes to the admin API about its data. */
export interface EmulatorDataAdmin {
  /** Base facts: provider, credentials to use, objects, webhook settings. */
  info(): Record<string, unknown>;
  list(object: string, query: URLSearchParams): AdminResult<unknown[]>;
  /** Puts records in place. With `notify`, webhooks fire as if a user had created them. */
  seed(object: string, records: unknown[], notify: boolean, query: URLSearchParams): AdminResult<string[]>;
  /** Changes a record as a user would in the provider's UI: webhooks fire. */
  edit(object: string, id: string, changes: unknown, query: URLSearchParams): AdminResult<unknown>;
  /** Deletes a record as a user would: webhooks fire. */
  remove(object: string, id: string, query: URLSearchParams): AdminResult<null>;
  /** Provider-specific webhook settings (target URL, secrets, signature versions, subscriptions). */
  configureWebhooks(settings: Record<string, unknown>): AdminResult<Record<string, unknown>>;
  /** Back to the state right after start: data, tokens, rate-limit windows. */
  reset(): void;
  /** Provider-specific happenings that are not record edits (e.g. Mailchimp's campaign sent). */
  action?(name: string, body: unknown, query: URLSearchParams): AdminResult<unknown>;
}

const seedBodySchema = z.union([
  z.array(z.unknown()),
  z.strictObject({ records: z.array(z.unknown()), notify: z.boolean().default(false) }),
]);
const clockBodySchema = z.strictObject({ advanceMs: z.number().int().min(0) });

function problem(status: number, message: string): EmulatorResponse {
  return json(status, { error: message });
}

function bodyOf<T>(schema: z.ZodType<T>, req: EmulatorRequest): { ok: true; value: T } | { ok: false; res: EmulatorResponse } {
  if (req.bodyError) return { ok: false, res: problem(400, `body is not JSON: ${req.bodyError}`) };
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) return { ok: false, res: problem(400, z.prettifyError(parsed.error)) };
  return { ok: true, value: parsed.data };
}

function fromResult<T>(result: AdminResult<T>, status = 200): EmulatorResponse {
  return result.ok ? json(status, { result: result.value }) : problem(result.status, result.message);
}

/** The `/__emulator/` API; see README.md in this folder for each call. */
export function createAdminApi(deps: {
  data: EmulatorDataAdmin;
  faults: FaultInjector;
  webhooks: WebhookQueue;
  clock: EmulatorClock;
  counter: () => RequestCounter | undefined;
}): AdminHandler {
  const { data, faults, webhooks, clock } = deps;
  const routes: Route[] = [
    { method: 'GET', patterns: ['/__emulator'], handler: () => json(200, { ...data.info(), now: clock.now().toISOString() }) },
    {
      method: 'POST', patterns: ['/__emulator/reset'], handler: () => {
        data.reset();
        faults.clear();
        webhooks.clear();
        clock.reset();
        deps.counter()?.reset();
        return json(200, { reset: true });
      },
    },
    { method: 'GET', patterns: ['/__emulator/records/:object'], handler: (r) => fromResult(data.list(r.params.object ?? '', r.query)) },
    {
      method: 'POST', patterns: ['/__emulator/records/:object'], handler: (r) => {
        const body = bodyOf(seedBodySchema, r);
        if (!body.ok) return body.res;
        const { records, notify } = Array.isArray(body.value) ? { records: body.value, notify: false } : body.value;
        return fromResult(data.seed(r.params.object ?? '', records, notify, r.query), 201);
      },
    },
    {
      method: 'PATCH', patterns: ['/__emulator/records/:object/:id'],
      handler: (r) => fromResult(data.edit(r.params.object ?? '', r.params.id ?? '', r.body ?? {}, r.query)),
    },
    {
      method: 'DELETE', patterns: ['/__emulator/records/:object/:id'],
      handler: (r) => fromResult(data.remove(r.params.object ?? '', r.params.id ?? '', r.query)),
    },
    {
      method: 'POST', patterns: ['/__emulator/actions/:name'], handler: (r) => (data.action
        ? fromResult(data.action(r.params.name ?? '', r.body ?? {}, r.query))
        : problem(404, 'this emulator has no actions')),
    },
    { method: 'GET', patterns: ['/__emulator/faults'], handler: () => json(200, { faults: faults.list() }) },
    {
      method: 'PUT', patterns: ['/__emulator/faults'], handler: (r) => {
        const body = bodyOf(z.strictObject({ faults: z.array(faultRuleSchema) }), r);
        if (!body.ok) return body.res;
        faults.set(body.value.faults);
        return json(200, { faults: faults.list() });
      },
    },
    {
      method: 'POST', patterns: ['/__emulator/faults'], handler: (r) => {
        const body = bodyOf(faultRuleSchema, r);
        if (!body.ok) return body.res;
        faults.add(body.value);
        return json(201, { faults: faults.list() });
      },
    },
    { method: 'DELETE', patterns: ['/__emulator/faults'], handler: () => { faults.clear(); return json(200, { faults: [] }); } },
    { method: 'GET', patterns: ['/__emulator/requests'], handler: () => json(200, { counts: deps.counter()?.counts() ?? {} }) },
    { method: 'DELETE', patterns: ['/__emulator/requests'], handler: () => { deps.counter()?.reset(); return json(200, { counts: {} }); } },
    {
      method: 'GET', patterns: ['/__emulator/webhooks'],
      handler: () => json(200, { chaos: webhooks.chaos(), deliveries: webhooks.deliveries() }),
    },
    {
      method: 'PUT', patterns: ['/__emulator/webhooks'], handler: (r) => {
        const body = bodyOf(z.record(z.string(), z.unknown()), r);
        if (!body.ok) return body.res;
        const { chaos, ...settings } = body.value;
        if (chaos !== undefined) {
          const parsed = webhookChaosSchema.safeParse(chaos);
          if (!parsed.success) return problem(400, `chaos: ${z.prettifyError(parsed.error)}`);
          webhooks.setChaos(parsed.data);
        }
        const configured = data.configureWebhooks(settings);
        if (!configured.ok) return problem(configured.status, configured.message);
        return json(200, { chaos: webhooks.chaos(), ...configured.value });
      },
    },
    {
      method: 'POST', patterns: ['/__emulator/webhooks/flush'], handler: async () => {
        await webhooks.idle();
        return json(200, { deliveries: webhooks.deliveries() });
      },
    },
    { method: 'GET', patterns: ['/__emulator/clock'], handler: () => json(200, { now: clock.now().toISOString(), offsetMs: clock.offsetMs() }) },
    {
      method: 'POST', patterns: ['/__emulator/clock'], handler: (r) => {
        const body = bodyOf(clockBodySchema, r);
        if (!body.ok) return body.res;
        clock.advance(body.value.advanceMs);
        return json(200, { now: clock.now().toISOString(), offsetMs: clock.offsetMs() });
      },
    },
  ];
  return async (req) => {
    const match = matchRoute(routes, req.method, req.path);
    if (!match) return problem(404, `no admin call ${req.method} ${req.path}; see src/emulators/README.md`);
    req.params = match.params;
    return match.route.handler(req);
  };
}
