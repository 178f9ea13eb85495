import type { Connector, ConnectorContext } from '../../../../src/connectors/contract.js';
import { createHubspotConnector } from '../../../../src/connectors/hubspot/hubspot-connector.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { asSystemId } from '../../../../src/shared/ids.js';
import { connectorContext } from '../../../support/connector-context.js';
import { startLoopbackServer, type Reply, type SeenRequest } from '../loopback-server.js';

/**
 * A small stand-in for the parts of HubSpot's CRM API the connector tests need, written from the
 * documented wire format (search with filters, sorts, `after` and its 10,000-result window; batch
 * read/create/update/archive with objectWriteTraceId multi-status; opt-out refused on object writes and taken
 * by the v4 unsubscribe-all endpoint). Not the project's emulator.
 */
export interface StoredRecord { id: string; properties: Record<string, string>; modifiedMs: number }

export async function startHubspotTestServer() {
  const objects = new Map<string, Map<string, StoredRecord>>([['contacts', new Map()], ['companies', new Map()]]);
  let nextId = 1000;
  const state = {
    rateLimited: false, rejectWholeBatch: false, afterSearch: undefined as undefined | ((n: number) => void),
    /** Status to answer unsubscribe-all with instead of 200 (403 for a token without the scope). */
    unsubscribeStatus: undefined as number | undefined,
  };
  /** Email addresses opted out of all email, as the communication preferences API keeps them (by address, not record). */
  const optedOut = new Set<string>();
  let searches = 0;
  const modProp = (type: string) => (type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate');
  const envelope = (type: string, r: StoredRecord, props?: string[], history?: string[]) => ({
    id: r.id,
    properties: Object.fromEntries([...(props ?? Object.keys(r.properties)), modProp(type)].map((p) => [p, p === modProp(type) ? new Date(r.modifiedMs).toISOString() : r.properties[p] ?? null])),
    ...(history ? { propertiesWithHistory: Object.fromEntries(history.filter((p) => r.properties[p] !== undefined).map((p) => [p, [{ value: r.properties[p], timestamp: new Date(r.modifiedMs - 1000).toISOString(), sourceType: 'CRM_UI' }]])) } : {}),
    createdAt: '2025-01-01T00:00:00.000Z', updatedAt: new Date(r.modifiedMs).toISOString(), archived: false,
  });

  const handle = (req: SeenRequest): Reply => {
    if (req.headers.authorization !== 'Bearer pat-test') return { status: 401, json: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } };
    if (state.rateLimited) return { status: 429, headers: { 'Retry-After': '2', 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Max': '100' }, json: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' } };
    const unsub = /^\/communication-preferences\/v4\/statuses\/([^/]+)\/unsubscribe-all$/.exec(req.path);
    if (unsub && req.method === 'POST') {
      if (req.url.searchParams.get('channel') !== 'EMAIL') return { status: 400, json: { status: 'error', message: 'channel is required', category: 'VALIDATION_ERROR' } };
      if (state.unsubscribeStatus) return { status: state.unsubscribeStatus, json: { status: 'error', message: 'This app hasn\'t been granted all required scopes to make this call.', category: 'MISSING_SCOPES' } };
      const email = decodeURIComponent(unsub[1]!).toLowerCase();
      optedOut.add(email);
      for (const r of objects.get('contacts')!.values()) if (r.properties.email?.toLowerCase() === email) r.properties.hs_email_optout = 'true';
      const now = new Date().toISOString();
      return { json: { status: 'COMPLETE', results: [], requestedAt: now, startedAt: now, completedAt: now } };
    }
    const m = /^\/crm\/v3\/objects\/(contacts|companies)(?:\/(search|batch\/(read|create|update|archive)))?$/.exec(req.path);
    if (!m) return { status: 404, json: { status: 'error', message: 'not found' } };
    const type = m[1]!;
    const store = objects.get(type)!;
    const body = req.json as Record<string, any>;
    if (!m[2]) {
      const limit = Math.min(Number(req.url.searchParams.get('limit') ?? 10), 100);
      const after = Number(req.url.searchParams.get('after') ?? 0);
      const rows = [...store.values()];
      const next = after + limit < rows.length ? { paging: { next: { after: String(after + limit) } } } : {};
      return { json: { results: rows.slice(after, after + limit).map((r) => envelope(type, r)), ...next } };
    }
    if (m[2] === 'search') {
      const limit = Math.min(body.limit ?? 10, 200);
      const after = Number(body.after ?? 0);
      if (after + limit > 10_000) return { status: 400, json: { status: 'error', message: 'paging beyond 10000 results', category: 'VALIDATION_ERROR' } };
      let rows = [...store.values()];
      for (const f of body.filterGroups?.[0]?.filters ?? []) {
        const value = (r: StoredRecord) => (f.propertyName === modProp(type) ? r.modifiedMs : r.properties[f.propertyName]);
        if (f.operator === 'GTE') rows = rows.filter((r) => Number(value(r)) >= Number(f.value));
        if (f.operator === 'IN') rows = rows.filter((r) => f.values.includes(value(r)));
      }
      if (body.sorts?.[0]) rows.sort((a, b) => a.modifiedMs - b.modifiedMs || Number(a.id) - Number(b.id));
      const page = rows.slice(after, after + limit);
      const next = after + limit < rows.length ? { paging: { next: { after: String(after + limit) } } } : {};
      const answer = { json: { total: rows.length, results: page.map((r) => envelope(type, r, body.properties)), ...next } };
      state.afterSearch?.(++searches);
      return answer;
    }
    const inputs = body.inputs as Array<Record<string, any>>;
    if (inputs.length > 100 || (m[3] === 'read' && body.propertiesWithHistory && inputs.length > 50)) {
      return { status: 400, json: { status: 'error', message: 'The maximum number of inputs supported in a batch request for property histories is 50', category: 'VALIDATION_ERROR' } };
    }
    // Opt-out properties are read-only on the objects API; the whole batch is refused.
    const readOnly = (m[3] === 'create' || m[3] === 'update') && inputs.find((i) => i.properties && 'hs_email_optout' in i.properties);
    if (readOnly) return { status: 400, json: { status: 'error', message: 'Property values were not valid: hs_email_optout is a read only property; its value cannot be set.', category: 'VALIDATION_ERROR' } };
    if (state.rejectWholeBatch && inputs.length > 1) return { status: 400, json: { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR' } };
    const now = Date.now();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      const r = input.id !== undefined ? store.get(String(input.id)) : undefined;
      if (m[3] === 'read') {
        if (r) results.push(envelope(type, r, body.properties, body.propertiesWithHistory));
        else errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some objects, they may be deleted or not exist.', context: { ids: [String(input.id)] } });
      } else if (m[3] === 'archive') {
        if (r) store.delete(r.id);
      } else if (m[3] === 'create') {
        const dup = type === 'contacts' && [...store.values()].find((x) => x.properties.email && x.properties.email === input.properties.email);
        if (dup) { errors.push({ status: 'error', category: 'CONFLICT', message: `Contact already exists. Existing ID: ${dup.id}`, context: { objectWriteTraceId: [input.objectWriteTraceId] } }); continue; }
        const optout = optedOut.has(String(input.properties.email ?? '').toLowerCase()) ? { hs_email_optout: 'true' } : {};
        const created = { id: String(nextId++), properties: { ...input.properties, ...optout }, modifiedMs: now };
        store.set(created.id, created);
        results.push({ ...envelope(type, created), objectWriteTraceId: input.objectWriteTraceId });
      } else if (!r) {
        errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Object not found', context: { ids: [String(input.id)], objectWriteTraceId: [input.objectWriteTraceId] } });
      } else {
        Object.assign(r.properties, input.properties);
        r.modifiedMs = now;
        results.push({ ...envelope(type, r), objectWriteTraceId: input.objectWriteTraceId });
      }
    }
    if (m[3] === 'archive') return { status: 204 };
    return { status: errors.length ? 207 : m[3] === 'create' ? 201 : 200, json: { status: 'COMPLETE', results, ...(errors.length ? { errors, numErrors: errors.length } : {}) } };
  };

  const server = await startLoopbackServer(handle);
  return { ...server, objects, state, optedOut, add(type: string, r: Omit<StoredRecord, 'id'> & { id?: string }) {
    const rec = { ...r, id: r.id ?? String(nextId++) };
    objects.get(type)!.set(rec.id, rec);
    return rec;
  } };
}

export type HubspotTestServer = Awaited<ReturnType<typeof startHubspotTestServer>>;

/** The stand-in server, a HubSpot connector on it with the token it accepts, and that connector's context on a manual clock. */
export async function startHubspotConnectorUnderTest(): Promise<{ server: HubspotTestServer; connector: Connector; ctx: ConnectorContext }> {
  const server = await startHubspotTestServer();
  const connector = createHubspotConnector({ system: asSystemId('hubspot'), baseUrl: server.url, credentials: { access_token: 'pat-test' }, emulator: true });
  return { server, connector, ctx: connectorContext(connector, createManualClock('2026-03-01T00:00:00Z')) };
}
