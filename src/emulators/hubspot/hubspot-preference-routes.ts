import { json, type EmulatorRequest, type EmulatorResponse, type Route } from '../emulator-routes.js';
import type { HubSpotContext } from './hubspot-context.js';
import { LEGAL_BASES, type ConsentBook, type StatusState, type SubscriptionDefinition } from './hubspot-consent.js';
import { hubspotError } from './hubspot-errors.js';

/**
 * The communication preferences (subscriptions) API, v3 and v4 (v4 also under the date-based `2026-03` path):
 * v3  GET  /communication-preferences/v3/definitions                 {subscriptionDefinitions}
 *     GET  /communication-preferences/v3/status/email/{email}        {recipient, subscriptionStatuses}
 *     POST /communication-preferences/v3/subscribe | unsubscribe     {emailAddress, subscriptionId, legalBasis?, ...}
 * v4  GET  /communication-preferences/v4/definitions                 {status, results}
 *     GET  /communication-preferences/v4/statuses/{email}?channel=EMAIL
 *     POST /communication-preferences/v4/statuses/{email}            {subscriptionId, statusState, channel, legalBasis?}
 *     GET  /communication-preferences/v4/statuses/{email}/unsubscribe-all?channel=EMAIL   (empty results unless opted out)
 *     POST /communication-preferences/v4/statuses/{email}/unsubscribe-all?channel=EMAIL&verbose=true
 * Sources: https://developers.hubspot.com/docs/api-reference/legacy/communication-preferences/v3/guide,
 * https://developers.hubspot.com/docs/api-reference/legacy/communication-preferences/guide and the endpoint pages
 * under https://developers.hubspot.com/docs/api-reference/communication-preferences-subscriptions-v4/.
 *
 * v3's subscribe "will not allow you to resubscribe contacts who have opted out" (v3 guide): it answers 400.
 * The v3 guide adds that v4 "does provide support for resubscribing contacts who previously opted out", without
 * saying how; by default v4 refuses a SUBSCRIBED status for an address opted out of all email too
 * (`resubscribeOptedOut: 'allow-v4'` lets v4 clear the opt-out instead).
 */
export type ResubscribePolicy = 'refuse' | 'allow-v4';

const BASE = '/communication-preferences';
const isV4 = (version: string | undefined) => version === 'v4' || /^\d{4}-\d{2}$/.test(version ?? '');

/** Scopes each call needs, any one of the list (https://developers.hubspot.com/docs/api-reference/legacy/communication-preferences/guide). */
export function preferenceScopes(req: EmulatorRequest): string[] | undefined {
  if (!req.path.startsWith(`${BASE}/`)) return undefined;
  const dated = /^\/communication-preferences\/\d{4}-\d{2}\//.test(req.path);
  if (req.method === 'GET') {
    const definitions = req.path.endsWith('/definitions');
    return ['communication_preferences.read', 'communication_preferences.read_write',
      ...(dated ? [definitions ? 'subscriptions-definition-read' : 'subscriptions-status-read'] : [])];
  }
  return ['communication_preferences.write', 'communication_preferences.read_write', ...(dated ? ['subscriptions-status-write'] : [])];
}

export function missingScopes(ctx: HubSpotContext, required: string[]): EmulatorResponse {
  return hubspotError(ctx.random, 403, 'MISSING_SCOPES',
    'This app hasn\'t been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.',
    { errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: required } }] });
}

export function preferenceRoutes(ctx: HubSpotContext, book: ConsentBook, policy: ResubscribePolicy): Route[] {
  const bad = (message: string) => hubspotError(ctx.random, 400, 'VALIDATION_ERROR', message);
  const times = () => { const now = ctx.clock.now().toISOString(); return { startedAt: now, completedAt: now }; };
  const notFound = (req: EmulatorRequest) => hubspotError(ctx.random, 404, 'OBJECT_NOT_FOUND', `No API at ${req.method} ${req.path}`);

  const v3Status = (email: string, d: SubscriptionDefinition) => {
    const wide = book.optedOutOfAll(email);
    const s = book.status(email, d);
    return {
      id: d.id, name: d.name, description: d.description,
      status: !wide && s.state === 'SUBSCRIBED' ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
      sourceOfStatus: wide ? 'PORTAL_WIDE_STATUS' : 'SUBSCRIPTION_STATUS',
      ...(s.legalBasis ? { legalBasis: s.legalBasis } : {}),
      ...(s.legalBasisExplanation ? { legalBasisExplanation: s.legalBasisExplanation } : {}),
    };
  };
  const v4Status = (email: string, d: SubscriptionDefinition, reason: string | null = null) => {
    const s = book.status(email, d);
    return {
      businessUnitId: 0, channel: 'EMAIL', subscriberIdString: email, subscriptionId: Number(d.id), subscriptionName: d.name,
      status: s.state, source: s.source, legalBasis: s.legalBasis, legalBasisExplanation: s.legalBasisExplanation,
      setStatusSuccessReason: reason, timestamp: s.timestamp,
    };
  };
  const legalOf = (body: Record<string, unknown>): { legalBasis?: string; legalBasisExplanation?: string } | string => {
    const basis = body.legalBasis;
    if (basis !== undefined && basis !== null && !(LEGAL_BASES as readonly unknown[]).includes(basis)) {
      return `legalBasis must be one of ${LEGAL_BASES.join(', ')}, found ${JSON.stringify(basis)}`;
    }
    return {
      ...(typeof basis === 'string' ? { legalBasis: basis } : {}),
      ...(typeof body.legalBasisExplanation === 'string' ? { legalBasisExplanation: body.legalBasisExplanation } : {}),
    };
  };
  const refuseResubscribe = (email: string) => bad(
    `${email} has opted out of all email and cannot be resubscribed through the API; only the contact can opt back in (a HubSpot form or subscription preferences page).`);

  const definitions = (req: EmulatorRequest): EmulatorResponse => {
    if (req.params.version === 'v3') return json(200, { subscriptionDefinitions: book.definitions });
    if (!isV4(req.params.version)) return notFound(req);
    return json(200, { status: 'COMPLETE', results: book.definitions.map((d) => ({ businessUnitId: 0, ...d })), ...times() });
  };

  // v3 subscribe / unsubscribe. A body without both fields is refused with HubSpot's wording, as reported at
  // https://github.com/HubSpot/hubspot-api-ruby/issues/170.
  const v3Change = (req: EmulatorRequest, subscribe: boolean): EmulatorResponse => {
    if (req.bodyError) return bad(`Invalid input JSON: ${req.bodyError}`);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const missing = ['emailAddress', 'subscriptionId'].filter((k) => body[k] === undefined || body[k] === null || body[k] === '');
    if (missing.length > 0) {
      return bad(`Invalid input JSON on line 1, column 2: Cannot build PublicUpdateSubscriptionStatusRequest, some of required attributes are not set [${missing.join(', ')}]`);
    }
    const email = String(body.emailAddress);
    const d = book.find(String(body.subscriptionId));
    if (!d) return bad(`No subscription definition with id ${String(body.subscriptionId)}; allowed: ${book.definitions.map((x) => x.id).join(', ')}`);
    const legal = legalOf(body);
    if (typeof legal === 'string') return bad(legal);
    if (subscribe) {
      if (book.optedOutOfAll(email)) return refuseResubscribe(email);
      if (book.status(email, d).state === 'UNSUBSCRIBED') {
        return bad(`${email} has unsubscribed from subscription ${d.id} (${d.name}) and cannot be resubscribed through the API.`);
      }
      book.setStatus(email, d, 'SUBSCRIBED', 'Subscribed via API', legal);
    } else {
      book.setStatus(email, d, 'UNSUBSCRIBED', 'Unsubscribed via API', legal);
    }
    return json(200, v3Status(email, d));
  };

  const channelProblem = (channel: unknown): EmulatorResponse | undefined =>
    channel === 'EMAIL' ? undefined : bad(`channel must be EMAIL (the only supported channel), found ${channel === undefined || channel === null ? 'nothing' : JSON.stringify(channel)}`);

  const v4Read = (req: EmulatorRequest): EmulatorResponse => {
    if (!isV4(req.params.version)) return notFound(req);
    const problem = channelProblem(req.query.get('channel') ?? undefined);
    if (problem) return problem;
    const email = req.params.subscriber ?? '';
    return json(200, { status: 'COMPLETE', results: book.definitions.map((d) => v4Status(email, d)), ...times() });
  };

  const v4Update = (req: EmulatorRequest): EmulatorResponse => {
    if (!isV4(req.params.version)) return notFound(req);
    if (req.bodyError) return bad(`Invalid input JSON: ${req.bodyError}`);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const problem = channelProblem(body.channel);
    if (problem) return problem;
    const states: StatusState[] = ['SUBSCRIBED', 'UNSUBSCRIBED', 'NOT_SPECIFIED'];
    if (!states.includes(body.statusState as StatusState)) return bad(`statusState must be one of ${states.join(', ')}, found ${JSON.stringify(body.statusState ?? null)}`);
    const d = book.find(String(body.subscriptionId ?? ''));
    if (!d) return bad(`No subscription definition with id ${String(body.subscriptionId ?? '')}; allowed: ${book.definitions.map((x) => x.id).join(', ')}`);
    const legal = legalOf(body);
    if (typeof legal === 'string') return bad(legal);
    const email = req.params.subscriber ?? '';
    const state = body.statusState as StatusState;
    if (state === 'SUBSCRIBED' && book.optedOutOfAll(email)) {
      if (policy === 'refuse') return refuseResubscribe(email);
      book.clearOptOutAll(email);
    }
    const { changed } = book.setStatus(email, d, state, state === 'SUBSCRIBED' ? 'Subscribed via API' : 'Updated via API', legal);
    return json(200, { status: 'COMPLETE', results: [v4Status(email, d, changed ? 'REQUESTED_CHANGE_OCCURRED' : 'NO_STATUS_CHANGE')], ...times() });
  };

  const v4Wide = (req: EmulatorRequest): EmulatorResponse => {
    if (!isV4(req.params.version)) return notFound(req);
    const problem = channelProblem(req.query.get('channel') ?? undefined);
    if (problem) return problem;
    const email = req.params.subscriber ?? '';
    const wide = book.optedOutOfAll(email);
    const results = wide
      ? [{ businessUnitId: 0, channel: 'EMAIL', status: 'UNSUBSCRIBED', subscriberIdString: email, timestamp: wide.since, wideStatusType: 'PORTAL_WIDE' }]
      : [];
    return json(200, { status: 'COMPLETE', results, ...times() });
  };

  const v4UnsubscribeAll = (req: EmulatorRequest): EmulatorResponse => {
    if (!isV4(req.params.version)) return notFound(req);
    const problem = channelProblem(req.query.get('channel') ?? undefined);
    if (problem) return problem;
    const email = req.params.subscriber ?? '';
    const changed = book.unsubscribeAll(email, 'Unsubscribed from all via API', {});
    // Without verbose=true the answer carries no statuses, as the endpoint's page says.
    const results = req.query.get('verbose') === 'true' ? changed.map((d) => v4Status(email, d, 'UNSUBSCRIBE_FROM_ALL_OCCURRED')) : [];
    return json(200, { status: 'COMPLETE', results, ...times() });
  };

  return [
    { method: 'GET', patterns: [`${BASE}/:version/definitions`], handler: definitions },
    { method: 'GET', patterns: [`${BASE}/v3/status/email/:email`], handler: (req) => {
      const email = req.params.email ?? '';
      return json(200, { recipient: email, subscriptionStatuses: book.definitions.map((d) => v3Status(email, d)) });
    } },
    { method: 'POST', patterns: [`${BASE}/v3/subscribe`], handler: (req) => v3Change(req, true) },
    { method: 'POST', patterns: [`${BASE}/v3/unsubscribe`], handler: (req) => v3Change(req, false) },
    { method: 'GET', patterns: [`${BASE}/:version/statuses/:subscriber/unsubscribe-all`], handler: v4Wide },
    { method: 'POST', patterns: [`${BASE}/:version/statuses/:subscriber/unsubscribe-all`], handler: v4UnsubscribeAll },
    { method: 'GET', patterns: [`${BASE}/:version/statuses/:subscriber`], handler: v4Read },
    { method: 'POST', patterns: [`${BASE}/:version/statuses/:subscriber`], handler: v4Update },
  ];
}
